/** @type {import('jest').Config} */
module.exports = {
  // A node environment that shows console output (e.g. CDK's validation report) only for failing tests.
  // Synth-heavy suites wait on child processes (cfn-guard, the CDK CLI): one worker per core
  // (Jest's default leaves one core idle) halves the wall time on a 2-core machine.
  maxWorkers: '100%',
  testEnvironment: '<rootDir>/node_modules/aws-cdk-lib/testhelpers/jest-bufferedconsole.js',
  roots: ['<rootDir>/test'],
  // A folder of small specs (*.spec.ts) runs inside one test file of that folder (test/specs.ts);
  // a spec named on the command line (`npm test -- test/constructs/secure-bucket.spec.ts`) runs alone.
  testMatch: process.argv.some((a) => a.endsWith('.spec.ts'))
    ? ['**/*.test.ts', '**/*.spec.ts']
    : ['**/*.test.ts'],
  // Two kinds of suite run on their own, in CI after `npm test`, which stays fast:
  // - the packed-tarball consumer test (npm pack, install, seven synths: minutes), `npm run test:package`;
  // - the end-to-end suites under test/e2e/, `npm run test:e2e`: the product run as users run it, as
  //   separate processes (the CDK CLI on this app and on a consumer app; the baseline-audit binary
  //   through its bin shim, against a fake KMS endpoint, a fault server and the moto emulator; the
  //   containment runbooks against moto). Each process loads the whole CLI or app, or an emulator:
  //   CPU-bound, about a third of the suite's CPU for a handful of files.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.PACKAGE_TEST === '1' ? [] : ['<rootDir>/test/package.test.ts']),
    ...(process.env.E2E_TEST === '1' ? [] : ['<rootDir>/test/e2e/']),
  ],
  // swc strips the types (`npm run typecheck` type-checks). ts-jest, which transpiles through the
  // TypeScript compiler, cost a fresh clone's first run (no transform cache, as in CI) 10-20 s more
  // CPU: cold runs of the suite took 55-57 s with swc against 59-70 s with ts-jest.
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  // Unit tests turn off CDK's built-in CloudFormation validation (~3 s per synth);
  // the app-level test turns it back on explicitly.
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
