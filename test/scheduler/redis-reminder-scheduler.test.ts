import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { connectRedis, deleteKeys, keysMatching } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { describeReminderSchedulerContract } from './reminder-scheduler.contract.js';

let connections: RedisConnection[];
const prefixes: string[] = [];

beforeAll(async () => {
  // Three connections: three instances sharing the same reminders.
  connections = await Promise.all([connectRedis(), connectRedis(), connectRedis()]);
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(connections[0], prefix);
  connections.forEach(closeRedisConnection);
});

/** A key prefix of its own, deleted after the tests. */
function newPrefix(): string {
  const prefix = uniquePrefix('reminders');
  prefixes.push(prefix);
  return prefix;
}

function schedulers(): RedisReminderScheduler[] {
  const prefix = newPrefix();
  return connections.map((connection) => new RedisReminderScheduler(connection, { prefix }));
}

describeReminderSchedulerContract('redis', async () => {
  const [scheduler, ...others] = schedulers();
  return { scheduler, others, close: async () => undefined };
});

describe('RedisReminderScheduler on Redis', () => {
  const key = { channel: 'slack' as const, tenant: 'T1', user: 'U1' };
  const due = { conversationId: 'slack:T1:U1', key, reminderId: 'r1', dueAt: 1000 };

  it('keeps reminders across a restart: scheduled on a connection since closed, claimed on a new one', async () => {
    const prefix = newPrefix();
    const before = await connectRedis();
    await new RedisReminderScheduler(before, { prefix }).schedule(due);
    closeRedisConnection(before);
    const after = await connectRedis();
    try {
      expect(await new RedisReminderScheduler(after, { prefix }).claimDue(1000, 10, 60_000)).toEqual([due]);
    } finally {
      closeRedisConnection(after);
    }
  });

  it("keeps a waiting reminder as one member of its shard's set, dueAt its score, nothing else stored", async () => {
    const [scheduler] = schedulers();
    await scheduler.schedule(due);
    const prefix = prefixes[prefixes.length - 1];
    const tag = `${prefix}:{rem:${scheduler.shardOf(due.conversationId)}}:`;
    expect(await keysMatching(connections[0], `${prefix}:*`)).toEqual([`${tag}q`]);
    expect(await connections[0].zRangeWithScores(`${tag}q`, 0, -1)).toEqual([
      { value: `${due.conversationId}\n${due.reminderId}`, score: due.dueAt },
    ]);
  });

  it('spreads conversations over its shards', () => {
    const [scheduler] = schedulers();
    const used = new Set(Array.from({ length: 200 }, (_, i) => scheduler.shardOf(`slack:T1:U${i}`)));
    expect(used.size).toBe(16);
  });

  it('adopts the reminders a deploy from before the shards stored under one {rem} tag: each due when it was, the old keys emptied', async () => {
    const [scheduler] = schedulers();
    const prefix = prefixes[prefixes.length - 1];
    const redis = connections[0];
    // The single-tag layout of that deploy: due set, jobs hash (entries with their ids), a set per conversation.
    const old = (reminderId: string, dueAt: number, score = dueAt) => ({
      member: `${due.conversationId}\n${reminderId}`,
      reminderId,
      dueAt,
      score,
    });
    const waiting = old('r1', 1000);
    const leasedByAnOldInstance = old('r2', 500, 61_000);
    const later = old('r3', 5000);
    for (const entry of [waiting, leasedByAnOldInstance, later]) {
      const json = JSON.stringify({
        conversationId: due.conversationId,
        key,
        reminderId: entry.reminderId,
        dueAt: entry.dueAt,
      });
      await redis.zAdd(`${prefix}:{rem}:due`, { score: entry.score, value: entry.member });
      await redis.hSet(`${prefix}:{rem}:jobs`, entry.member, json);
      await redis.sAdd(`${prefix}:{rem}:conv:${due.conversationId}`, entry.member);
    }
    const claimed = await scheduler.claimDue(1000, 10, 60_000);
    expect(claimed.map((entry) => [entry.reminderId, entry.dueAt]).sort()).toEqual([
      ['r1', 1000],
      ['r2', 500],
    ]);
    expect(await keysMatching(redis, `${prefix}:{rem}:*`)).toEqual([]);
    expect(await scheduler.claimDue(4999, 10, 60_000)).toEqual([]);
    expect(await scheduler.claimDue(5000, 10, 60_000)).toEqual([{ ...due, reminderId: 'r3', dueAt: 5000 }]);
  });

  it('leaves no key behind once everything is acknowledged or cancelled', async () => {
    const [scheduler] = schedulers();
    await scheduler.schedule(due);
    await scheduler.schedule({ ...due, reminderId: 'r2' });
    const [claimed] = await scheduler.claimDue(1000, 1, 60_000);
    await scheduler.ack(claimed);
    await scheduler.cancelAll(due.conversationId);
    const prefix = prefixes[prefixes.length - 1];
    const keys = await keysMatching(connections[0], `${prefix}:*`);
    expect(keys).toEqual([]);
  });
});
