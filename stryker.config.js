/**
 * Mutation testing (`npm run mutate`): how well the tests catch a small bug planted in the
 * flow, the engine, hand-off, auth and the adapters' pure render/escape modules.
 * Not part of `npm test`: a full run takes tens of minutes on two cores.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  mutate: [
    'flows/**/*.ts',
    'src/engine/**/*.ts',
    'src/handoff/**/*.ts',
    'src/auth/**/*.ts',
    // The adapters' pure render/escape modules; the rest of adapters/ is SDK wiring.
    'adapters/slack/render-blocks.ts',
    'adapters/slack/slack-text.ts',
    'adapters/slack/helpdesk-render.ts',
    'adapters/slack/render-home.ts',
    'adapters/teams/render-card.ts',
    'adapters/teams/card-text.ts',
    'adapters/teams/helpdesk-card.ts',
    'adapters/local/render-text.ts',
    'adapters/local/web-chat-view.ts',
    // Dev tools and files without behaviour: the diagram CLI, re-exporting indexes, types.
    '!flows/**/diagram.ts',
    '!**/index.ts',
    '!flows/**/types.ts',
  ],
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: false },
  // Jest runs in ESM mode here (jest.config.js); the runner's workers need the same flag.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  // Each mutant runs only the tests that cover it.
  coverageAnalysis: 'perTest',
  // Module-level constants (the copy tables) would need every test per mutant: skipped, and counted as ignored.
  ignoreStatic: true,
  // Mutants that do not type-check are dropped before any test runs (ts-jest only transpiles).
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  // The instrumented code does not type-check under ts-jest; the checker above already did that.
  disableTypeChecks: '{flows,src,adapters,test}/**/*.ts',
  // The machine is shared: two test workers at most, and a generous timeout for slow turns.
  concurrency: 2,
  timeoutMS: 60000,
  // Reuses the last run's results for unchanged code and tests; the file is committed (see README).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
