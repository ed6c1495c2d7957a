import { availableParallelism } from 'node:os';

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
  // a worker per core, and at least 3 (on 2 cores Jest's default is 1) to overlap those waits.
  maxWorkers: Math.max(3, availableParallelism()),
  testSequencer: '<rootDir>/jest.sequencer.js',
};
