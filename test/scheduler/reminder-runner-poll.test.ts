import { describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/errors.js';
import type { ConversationEngine } from '../../src/engine/conversation-engine.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';

describe('ReminderRunner polling', () => {
  it('reports a failed poll (store unreachable) and keeps polling instead of rejecting unhandled', async () => {
    const scheduler = new MemoryReminderScheduler();
    let calls = 0;
    scheduler.claimDue = async () => {
      calls += 1;
      throw new AppError('tsid_store_unavailable', 'Redis claim reminders failed: connection lost');
    };
    const errors: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const runner = new ReminderRunner({
      engine: {} as ConversationEngine,
      scheduler,
      clock: new ManualClock(),
      onError: (error) => void errors.push(error),
    });
    try {
      runner.start(5);
      while (calls < 3) await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await runner.stop();
      process.off('unhandledRejection', onUnhandled);
    }
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatchObject({ code: 'tsid_store_unavailable' });
    expect(unhandled).toEqual([]);
  });
});
