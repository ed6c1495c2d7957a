/**
 * Jest's own order (failed first, then slowest by the timings Jest cached), but on a run
 * without those timings (a clean CI checkout) the suites known to take longest start first,
 * so none of them starts last and runs alone while the other workers sit idle.
 */
import TestSequencerModule from '@jest/test-sequencer';

// The package is CommonJS: the class is its `default` export, or the module itself when Jest's loader unwraps it.
const TestSequencer = TestSequencerModule.default ?? TestSequencerModule;

/** Slowest first, as measured on a 2-core machine; a suite not listed keeps Jest's order after these. */
const KNOWN_SLOW = [
  'test/reliability/chaos.test.ts',
  'test/bench/wire-bench.test.ts',
  'test/ha/sentinel-failover.test.ts',
  'test/campaign/campaign-multi-process.test.ts',
  'test/ha/cluster-failover.test.ts',
  'test/reliability/redis-outage.test.ts',
  'test/reliability/reminders-multi-process.test.ts',
  'test/adapters/slack/slack-transcripts.test.ts',
  'test/ha/sentinel-contracts.test.ts',
  'test/ha/cluster-contracts.test.ts',
  'test/app/redis-outage-process.test.ts',
  'test/app/shutdown-process.test.ts',
  'test/app/main-slack.test.ts',
  'test/flows/flow-graph.test.ts',
];

export default class SlowFirstSequencer extends TestSequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    // With cached timings for every suite, Jest's order already puts the slowest first.
    if (sorted.every((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = KNOWN_SLOW.findIndex((path) => test.path.endsWith(path));
      return index < 0 ? KNOWN_SLOW.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
