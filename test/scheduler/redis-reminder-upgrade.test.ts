import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { connectRedis, deleteKeys, keysMatching } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';

/**
 * Deploy safety of the one-member reminder format: reminders the format before stored
 * (per shard a `due` set, a `jobs` hash of {"key","dueAt"} and a `conv:<id>` set per
 * conversation) are still delivered, each when it was due, and still cancelled.
 */
describe('RedisReminderScheduler after an upgrade from the jobs-hash format', () => {
  let redis: RedisConnection;
  const prefix = uniquePrefix('reminder-upgrade');
  const key = { channel: 'slack' as const, tenant: 'T1', user: 'U1' };
  const conversationId = 'slack:T1:U1';

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    closeRedisConnection(redis);
  });

  /** Writes an entry exactly as the format before did; `score` differs from dueAt when an old instance claimed it. */
  async function storeOld(
    scheduler: RedisReminderScheduler,
    id: string,
    reminderId: string,
    dueAt: number,
    score = dueAt,
  ) {
    const tag = `${prefix}:{rem:${scheduler.shardOf(id)}}`;
    const member = `${id}\n${reminderId}`;
    const userKey = { channel: 'slack', tenant: 'T1', user: id.split(':')[2] };
    await redis.zAdd(`${tag}:due`, { score, value: member });
    await redis.hSet(`${tag}:jobs`, member, JSON.stringify({ key: userKey, dueAt }));
    await redis.sAdd(`${tag}:conv:${id}`, member);
  }

  it('delivers old-format reminders when due (one an old instance held, its lease run out), then leaves no old key', async () => {
    const scheduler = new RedisReminderScheduler(redis, { prefix });
    await storeOld(scheduler, conversationId, 'r1', 1000);
    await storeOld(scheduler, conversationId, 'r2', 500, 61_000); // claimed by an old instance until 61,000
    await storeOld(scheduler, conversationId, 'r3', 5000);
    expect(await scheduler.nextDueAt()).toBe(1000);

    const first = await scheduler.claimDue(1000, 10, 60_000);
    expect(first).toEqual([{ conversationId, key, reminderId: 'r1', dueAt: 1000 }]);
    await scheduler.ack(first[0]);
    expect(await scheduler.claimDue(4999, 10, 60_000)).toEqual([]);
    const third = await scheduler.claimDue(5000, 10, 60_000);
    expect(third).toEqual([{ conversationId, key, reminderId: 'r3', dueAt: 5000 }]);
    await scheduler.ack(third[0]);
    // The old instance died holding r2: after its lease it comes due, at its own dueAt.
    const late = await scheduler.claimDue(61_000, 10, 60_000);
    expect(late).toEqual([{ conversationId, key, reminderId: 'r2', dueAt: 500 }]);
    await scheduler.ack(late[0]);
    expect(await keysMatching(redis, `${prefix}:*`)).toEqual([]);
  });

  it('cancels old-format reminders, one by one and all of a conversation', async () => {
    const scheduler = new RedisReminderScheduler(redis, { prefix });
    const other = 'slack:T1:U2';
    await storeOld(scheduler, conversationId, 'r1', 1000);
    await storeOld(scheduler, conversationId, 'r2', 1000);
    await storeOld(scheduler, other, 'r1', 1000);
    await scheduler.schedule({ conversationId, key, reminderId: 'r4', dueAt: 1000 });
    await scheduler.cancel(other, 'r1');
    await scheduler.cancelAll(conversationId);
    expect(await scheduler.claimDue(10_000, 10, 60_000)).toEqual([]);
    expect(await keysMatching(redis, `${prefix}:*`)).toEqual([]);
  });
});
