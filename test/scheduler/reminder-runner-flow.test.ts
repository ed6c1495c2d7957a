import { describe, expect, it } from '@jest/globals';
import type { ConversationEngine } from '../../src/engine/conversation-engine.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';

const key = { channel: 'local', tenant: 't', user: 'u' } as const;

/** A scheduler with `count` reminders r1, r2, … due in that order, and an engine whose r1 turn waits for `release`. */
async function slowFirstTurn(count: number) {
  const scheduler = new MemoryReminderScheduler();
  for (let n = 1; n <= count; n += 1)
    await scheduler.schedule({ conversationId: `local:t:u${n}`, key, reminderId: `r${n}`, dueAt: n });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const handled: string[] = [];
  const engine = {
    handle: async ({ event }: { event: { reminderId: string } }) => {
      if (event.reminderId === 'r1') await gate;
      handled.push(event.reminderId);
      return { status: 'done', messages: [] };
    },
  } as unknown as ConversationEngine;
  return { scheduler, engine, handled, release };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('ReminderRunner keeps its turns busy', () => {
  it('a slow reminder turn does not hold up the due reminders claimed after it', async () => {
    const { scheduler, engine, handled, release } = await slowFirstTurn(4);
    const runner = new ReminderRunner({ engine, scheduler, clock: new ManualClock(10), batchSize: 2, concurrency: 2 });
    const pass = runner.runDue();
    await settle();
    // r1 is still in its turn; the other worker went on to claim and run r2, r3, r4.
    expect(handled).toEqual(['r2', 'r3', 'r4']);
    release();
    expect(await pass).toBe(4);
    expect(handled).toEqual(['r2', 'r3', 'r4', 'r1']);
  });

  it('holds at most batchSize reminders claimed and not yet done', async () => {
    const { scheduler, engine, handled, release } = await slowFirstTurn(3);
    const claimed: number[] = [];
    const claim = scheduler.claimDue.bind(scheduler);
    scheduler.claimDue = async (now, limit, leaseMs) => {
      const due = await claim(now, limit, leaseMs);
      claimed.push(due.length);
      return due;
    };
    const runner = new ReminderRunner({ engine, scheduler, clock: new ManualClock(10), batchSize: 2, concurrency: 4 });
    const pass = runner.runDue();
    await settle();
    // r1 (held) and r2 (done) came in the first claim; later claims ask for one at a time while r1 holds its place.
    expect(handled).toEqual(['r2', 'r3']);
    expect(claimed.slice(0, 3)).toEqual([2, 1, 0]);
    release();
    expect(await pass).toBe(3);
  });
});
