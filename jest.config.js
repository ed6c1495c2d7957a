/** Jest in ESM mode (notes/README.md): ts-jest transpiles, `tsc --noEmit` type-checks. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Most of the slow suites wait on child processes, Redis failovers and timers, not on the CPU:
  // on 2 cores (where Jest's default is 1 worker) 3 workers overlap those waits.
  maxWorkers: 3,
  testSequencer: '<rootDir>/jest.sequencer.js',
};
