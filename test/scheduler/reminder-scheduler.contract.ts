import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { conversationId, type ConversationKey } from '../../src/contract/messages.js';
import type { ReminderEntry, ReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';

/** Schedulers under test: `others` are more instances sharing the same reminders. */
export interface SchedulerHarness {
  scheduler: ReminderScheduler;
  others: ReminderScheduler[];
  close(): Promise<void>;
}

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const LEASE = 60_000;

function entry(user: string, reminderId = 'r1', dueAt = T0 + 1000): ReminderEntry {
  const key: ConversationKey = { channel: 'slack', tenant: 'T1', user };
  return { conversationId: conversationId(key), key, reminderId, dueAt };
}

/**
 * The ReminderScheduler contract: one suite every implementation runs
 * (memory-reminder-scheduler.test.ts, redis-reminder-scheduler.test.ts).
 */
export function describeReminderSchedulerContract(name: string, open: () => Promise<SchedulerHarness>): void {
  describe(`ReminderScheduler contract: ${name}`, () => {
    let harness: SchedulerHarness;
    let scheduler: ReminderScheduler;
    let user: string;

    beforeEach(async () => {
      harness = await open();
      scheduler = harness.scheduler;
      user = `U${randomUUID().slice(0, 8)}`;
    });
    afterEach(() => harness.close());

    it('hands out nothing before it is due, then the entry as scheduled', async () => {
      const due = entry(user);
      await scheduler.schedule(due);
      expect(await scheduler.claimDue(due.dueAt - 1, 10, LEASE)).toEqual([]);
      expect(await scheduler.claimDue(due.dueAt, 10, LEASE)).toEqual([due]);
    });

    it('leases a claimed entry: nobody else gets it until the lease runs out', async () => {
      const due = entry(user);
      await scheduler.schedule(due);
      expect(await scheduler.claimDue(due.dueAt, 10, LEASE)).toHaveLength(1);
      for (const other of [scheduler, ...harness.others]) {
        expect(await other.claimDue(due.dueAt + LEASE - 1, 10, LEASE)).toEqual([]);
      }
      expect(await scheduler.claimDue(due.dueAt + LEASE, 10, LEASE)).toEqual([due]);
    });

    it('forgets an acknowledged entry', async () => {
      const due = entry(user);
      await scheduler.schedule(due);
      const [claimed] = await scheduler.claimDue(due.dueAt, 10, LEASE);
      await scheduler.ack(claimed);
      expect(await scheduler.claimDue(due.dueAt + 10 * LEASE, 10, LEASE)).toEqual([]);
      expect(await scheduler.nextDueAt()).toBeUndefined();
    });

    it('never hands out a cancelled entry; cancelAll cancels only that conversation', async () => {
      const other = `${user}-other`;
      await scheduler.schedule(entry(user, 'r1'));
      await scheduler.schedule(entry(user, 'r2'));
      await scheduler.schedule(entry(other, 'r1'));
      await scheduler.cancel(entry(user).conversationId, 'r1');
      expect((await scheduler.claimDue(T0 + 5000, 10, LEASE)).sort(byMember)).toEqual(
        [entry(user, 'r2'), entry(other, 'r1')].sort(byMember),
      );
      await scheduler.schedule(entry(user, 'r3'));
      await scheduler.cancelAll(entry(user).conversationId);
      expect(await scheduler.claimDue(T0 + 10 * LEASE, 10, LEASE)).toEqual([entry(other, 'r1')]);
      await scheduler.cancel(entry(user).conversationId, 'never-scheduled');
    });

    it('treats scheduling the same entry again as a no-op, even while it is claimed', async () => {
      const due = entry(user);
      await scheduler.schedule(due);
      await scheduler.schedule(due);
      expect(await scheduler.claimDue(due.dueAt, 10, LEASE)).toEqual([due]);
      await scheduler.schedule(due); // an outbox replay
      expect(await scheduler.claimDue(due.dueAt + 1, 10, LEASE)).toEqual([]);
    });

    it('replaces an entry rescheduled for another time; acknowledging the old one keeps the new', async () => {
      const first = entry(user, 'r1', T0 + 1000);
      const moved = entry(user, 'r1', T0 + 5000);
      await scheduler.schedule(first);
      const [claimed] = await scheduler.claimDue(T0 + 1000, 10, LEASE);
      await scheduler.schedule(moved);
      await scheduler.ack(claimed);
      expect(await scheduler.claimDue(T0 + 4999, 10, LEASE)).toEqual([]);
      expect(await scheduler.claimDue(T0 + 5000, 10, LEASE)).toEqual([moved]);
    });

    it('hands out at most `limit` entries, earliest first, and tells the next due time', async () => {
      expect(await scheduler.nextDueAt()).toBeUndefined();
      for (const [i, offset] of [3000, 1000, 2000].entries())
        await scheduler.schedule(entry(user, `r${i}`, T0 + offset));
      expect(await scheduler.nextDueAt()).toBe(T0 + 1000);
      const claimed = await scheduler.claimDue(T0 + 3000, 2, LEASE);
      expect(claimed.map((e) => e.dueAt)).toEqual([T0 + 1000, T0 + 2000]);
    });

    it('hands each due entry to exactly one of many concurrent claimers', async () => {
      const entries = Array.from({ length: 60 }, (_, i) => entry(`${user}-${i}`, 'r1', T0 + i));
      await Promise.all(entries.map((e) => scheduler.schedule(e)));
      const claimers = [scheduler, ...harness.others];
      const rounds = await Promise.all(
        Array.from({ length: 12 }, (_, i) => claimers[i % claimers.length].claimDue(T0 + 100, 7, LEASE)),
      );
      const claimed = rounds.flat().map((e) => e.key.user);
      expect(claimed.sort()).toEqual(entries.map((e) => e.key.user).sort());
    });
  });
}

function byMember(a: ReminderEntry, b: ReminderEntry): number {
  return a.conversationId.localeCompare(b.conversationId);
}
