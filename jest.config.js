/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Transpile only; `npm run typecheck` (tsc --noEmit) does the type-checking.
    '^.+\\.ts$': ['ts-jest', { isolatedModules: true }],
  },
  // Unit tests turn off CDK's built-in CloudFormation validation (~3 s per synth);
  // the app-level test turns it back on explicitly.
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
};
