import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ThrottledLog } from '../../src/scheduler/throttled-log.js';

function recorder() {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const sink = {
    error: (fields: object, message: string) =>
      void lines.push({ level: 'error', fields: fields as Record<string, unknown>, message }),
    info: (fields: object, message: string) =>
      void lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
  };
  return { lines, sink };
}

describe('ThrottledLog', () => {
  it('turns 3,600 failures in an hour of simulated time into 7 lines, counting every failure', () => {
    const clock = new ManualClock();
    const { lines, sink } = recorder();
    const log = new ThrottledLog(sink, { what: 'reminder poll', now: () => clock.now() });
    for (let second = 0; second < 3600; second++) {
      log.failed({ code: 'tsid_store_unavailable' });
      clock.advance(1000);
    }
    expect(lines).toHaveLength(7);
    expect(lines.every((line) => line.level === 'error')).toBe(true);
    expect(lines[0].message).toBe('reminder poll failed');
    expect(lines[0].fields).toEqual({ code: 'tsid_store_unavailable' });
    // Summaries after 1, 2, 4, 8 minutes, then every 15 minutes; together they count every repeat.
    expect(lines.slice(1).map((line) => (line.fields.failingForMs as number) / 60_000)).toEqual([1, 3, 7, 15, 30, 45]);
    const counted = 1 + lines.slice(1).reduce((sum, line) => sum + (line.fields.failures as number), 0);
    expect(counted).toBe(45 * 60 + 1); // every failure up to the last summary
  });

  it('logs the recovery once, and a new outage starts with a first line again', () => {
    const clock = new ManualClock();
    const { lines, sink } = recorder();
    const log = new ThrottledLog(sink, { what: 'outbox sweep', now: () => clock.now() });
    log.succeeded();
    expect(lines).toEqual([]);
    for (let pass = 0; pass < 30; pass++) {
      log.failed({ code: 'tsid_store_unavailable' });
      clock.advance(1000);
    }
    log.succeeded();
    log.succeeded();
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['error', 'outbox sweep failed'],
      ['info', 'outbox sweep recovered'],
    ]);
    expect(lines[1].fields).toEqual({ failures: 30, failedForMs: 30_000 });
    log.failed({ code: 'tsid_store_unavailable' });
    expect(lines.at(-1)!.message).toBe('outbox sweep failed');
  });
});
