import { describe, expect, it } from '@jest/globals';
import { figureLines } from './wire/figures.js';
import { QUICK } from './wire/settings.js';
import { runWireBench, type Measured } from './wire/wire-bench.js';

/**
 * `npm run bench -- --quick`'s logic on a tiny budget, so the benchmark cannot rot: every
 * reported key is there with a sane value. Not a speed check: no figure is compared with a goal.
 */
describe('the wire benchmark on a tiny budget', () => {
  it('walks both guides on both channels against the floors and reports every figure, also ours / floor per step kind', async () => {
    const report = await runWireBench({
      ...QUICK,
      concurrencies: [2, 3],
      warmupMs: 300,
      measureMs: 2000,
      conversations: 3,
      parked: 12,
      parkedWalked: 3,
    });

    for (const name of [
      'slack.cpuRatio',
      'slack.tpsRatio',
      'teams.cpuRatio',
      'teams.tpsRatio',
      'parkedBytes',
      'slack.ackP99Ms64',
    ]) {
      const value = name.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], report);
      expect([name, Number.isFinite(value) && (value as number) > 0]).toEqual([name, true]);
    }
    for (const channel of [report.slack, report.teams]) {
      expect(Object.keys(channel.byConcurrency)).toEqual(['c2', 'c3']);
      for (const { ours, floor } of Object.values(channel.byConcurrency))
        for (const measured of [ours, floor]) expectSane(measured);
      // The floor's snapshot is WATCH, GET, MULTI+SET+EXEC for every message: exactly 3 round trips.
      expect(channel.roundTripsPerTurn.floor).toBe(3);
      expect(Object.keys(channel.roundTripsPerTurn.ours)).toEqual(['newTwoCompanies', 'existingOneCompany']);
      for (const trips of Object.values(channel.roundTripsPerTurn.ours)) expect(trips).toBeGreaterThan(0);
      // Ours / floor per kind of step the walks make, so a regression shows where it is.
      expect(Object.keys(channel.byStepKind).sort()).toEqual(['click', 'clickConfirm', 'typed']);
      for (const { ratio } of Object.values(channel.byStepKind)) expect(ratio).toBeGreaterThan(0);
    }
    // Calibration walks are the same as in a full run: these figures are real ones.
    console.log(
      figureLines({
        slack: { byStepKind: report.slack.byStepKind },
        teams: { byStepKind: report.teams.byStepKind },
      }).join('\n'),
    );
    expect(report.parked).toMatchObject({ conversations: 12, walked: 3 });
    expect(Object.keys(report.parked.memoryUsageByKind).length).toBeGreaterThan(0);
    expect(figureLines(report)).toEqual(
      expect.arrayContaining([
        `[figure] slack.cpuRatio: ${report.slack.cpuRatio}`,
        `[figure] parkedBytes: ${report.parkedBytes}`,
      ]),
    );
  }, 180_000);
});

function expectSane(measured: Measured): void {
  expect(measured.errors).toBe(0);
  expect(measured.turns).toBeGreaterThan(0);
  expect(measured.botCpuUsPerTurn).toBeGreaterThan(0);
  expect(measured.redisCallsPerTurn).toBeGreaterThan(0);
  expect(measured.p50Ms).toBeLessThanOrEqual(measured.p95Ms);
  expect(measured.p95Ms).toBeLessThanOrEqual(measured.p99Ms);
  // Each turn's ack comes before its last message, so every quantile of the acks is no later.
  expect(measured.ackP50Ms).toBeLessThanOrEqual(measured.p50Ms);
  expect(measured.ackP99Ms).toBeLessThanOrEqual(measured.p99Ms);
}
