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

  it("keeps a conversation's reminder keys in its shard's one hash slot, and stores no id twice", async () => {
    const [scheduler] = schedulers();
    await scheduler.schedule(due);
    const prefix = prefixes[prefixes.length - 1];
    const keys = await keysMatching(connections[0], `${prefix}:*`);
    expect(keys.length).toBe(3);
    const tag = `${prefix}:{rem:${scheduler.shardOf(due.conversationId)}}:`;
    for (const k of keys) expect(k.startsWith(tag)).toBe(true);
    const stored = await connections[0].hGet(`${tag}jobs`, `${due.conversationId}\n${due.reminderId}`);
    expect(JSON.parse(stored!)).toEqual({ key, dueAt: due.dueAt });
  });

  it('spreads conversations over its shards', () => {
    const [scheduler] = schedulers();
    const used = new Set(Array.from({ length: 200 }, (_, i) => scheduler.shardOf(`slack:T1:U${i}`)));
    expect(used.size).toBe(16);
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
