import { describe, expect, it } from '@jest/globals';
import type { ConversationEngine } from '../../src/engine/conversation-engine.js';
import { AppError } from '../../src/errors.js';
import { systemClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler, type ReminderEntry } from '../../src/scheduler/reminder-scheduler.js';

const until = async (predicate: () => boolean) => {
  const deadline = Date.now() + 5000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('ReminderRunner on a timer', () => {
  it('reports a failed claim and polls again on schedule', async () => {
    const scheduler = new MemoryReminderScheduler();
    let claims = 0;
    scheduler.claimDue = async () => {
      claims++;
      throw new AppError('tsid_store_unavailable', 'Redis claim due failed: The client is offline');
    };
    const errors: { code: string; entry?: ReminderEntry }[] = [];
    const engine = { handle: async () => ({ status: 'done', messages: [] }) } as unknown as ConversationEngine;
    const runner = new ReminderRunner({
      engine,
      scheduler,
      clock: systemClock,
      onError: (error, entry) => void errors.push({ code: (error as AppError).code, entry }),
    });
    runner.start(5);
    await until(() => claims >= 5);
    await runner.stop();
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(errors.every((error) => error.code === 'tsid_store_unavailable' && error.entry === undefined)).toBe(true);
  });

  it('stop() waits for the reminders already claimed and claims no more', async () => {
    const scheduler = new MemoryReminderScheduler();
    const key = { channel: 'local', tenant: 't', user: 'u' } as const;
    for (const n of [1, 2, 3])
      await scheduler.schedule({ conversationId: `local:t:u${n}`, key, reminderId: `r${n}`, dueAt: 0 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const engine = {
      handle: async (inbound: { idempotencyKey: string }) => {
        await gate;
        handled.push(inbound.idempotencyKey);
        return { status: 'done', messages: [] };
      },
    } as unknown as ConversationEngine;
    const claim = scheduler.claimDue.bind(scheduler);
    let claims = 0;
    scheduler.claimDue = (now, limit, leaseMs) => (claims++, claim(now, limit, leaseMs));
    const runner = new ReminderRunner({ engine, scheduler, clock: systemClock, batchSize: 1 });
    runner.start(1);
    await until(() => claims === 1); // its one reminder is in its turn, held by the gate
    const stopped = runner.stop();
    release();
    await stopped;
    expect(handled).toHaveLength(1);
    expect(claims).toBe(1);
    expect(await claim(Date.now() + 120_000, 10, 1000)).toHaveLength(2);
  });
});
