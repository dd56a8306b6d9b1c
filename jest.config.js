/** @type {import('jest').Config} */
module.exports = {
  // A node environment that shows console output (e.g. CDK's validation report) only for failing tests.
  // Synth-heavy suites wait on child processes (cfn-guard, the CDK CLI): one worker per core
  // (Jest's default leaves one core idle) halves the wall time on a 2-core machine.
  maxWorkers: '100%',
  testEnvironment: '<rootDir>/node_modules/aws-cdk-lib/testhelpers/jest-bufferedconsole.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The packed-tarball consumer test (npm pack, install, four synths: minutes) runs on its own in
  // CI (`npm run test:package`); `npm test` stays fast.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.PACKAGE_TEST === '1' ? [] : ['<rootDir>/test/package.test.ts']),
  ],
  transform: {
    // tsconfig.json sets isolatedModules, so ts-jest only transpiles; `npm run typecheck` type-checks.
    '^.+\\.ts$': 'ts-jest',
  },
  // Unit tests turn off CDK's built-in CloudFormation validation (~3 s per synth);
  // the app-level test turns it back on explicitly.
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
