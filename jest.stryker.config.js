import base from './jest.config.js';

/**
 * The Jest config Stryker runs for every mutant: the fast, in-process suites that exercise
 * the mutated code (flows, engine, hand-off, auth, adapters' render/escape, transcripts).
 * Left out, as too slow to run per mutant and not aimed at the mutated code: the
 * process-level suites (test/app, test/reliability's chaos and multi-process runs,
 * test/campaign's multi-process run, test/ha, test/bench), the headless-browser test
 * (test/local/web-chat-browser), the Teams app package test (runs the packaging CLI), and
 * the Slack and Teams delivery tests: they time the pacing of posts (wiring, not mutated), and
 * under Stryker's load their millisecond bounds fail the initial run (388 ms seen for >= 390).
 */
export default {
  ...base,
  testMatch: [
    '<rootDir>/test/flows/**/*.test.ts',
    '<rootDir>/test/engine/**/*.test.ts',
    '<rootDir>/test/handoff/**/*.test.ts',
    '<rootDir>/test/auth/**/*.test.ts',
    '<rootDir>/test/adapters/**/*.test.ts',
    '<rootDir>/test/transcripts/**/*.test.ts',
    '<rootDir>/test/scheduler/reminder-runner*.test.ts',
    '<rootDir>/test/local/*.test.ts',
  ],
  testPathIgnorePatterns: [
    '/node_modules/',
    '/test/local/web-chat-browser\\.test\\.ts$',
    '/app-package\\.test\\.ts$',
    '/(slack|teams)-delivery\\.test\\.ts$',
  ],
};
