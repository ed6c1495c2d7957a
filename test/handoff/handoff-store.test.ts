import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/errors.js';
import { MemoryHandoffStore } from '../../src/handoff/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { closeRedisConnection, createRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisHandoffStore } from '../../src/handoff/redis-handoff-store.js';
import { connectRedis, deleteKeys, keysMatching } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { describeHandoffStoreContract, newHandoff } from './handoff-store.contract.js';

let redis: RedisConnection;
const prefix = uniquePrefix('handoff');

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

describeHandoffStoreContract('memory', async () => {
  const clock = new ManualClock();
  return { store: new MemoryHandoffStore(() => clock.now()), pass: async (ms) => clock.advance(ms) };
});

describeHandoffStoreContract('redis', async () => ({
  store: new RedisHandoffStore(redis, { prefix }),
  pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('RedisHandoffStore on Redis', () => {
  it("keeps a conversation's keys under one hash tag, each with the retention as time to live", async () => {
    const store = new RedisHandoffStore(redis, { prefix, retentionMs: 60_000 });
    const handoff = newHandoff();
    await store.open(handoff, 30_000);
    const keys = await keysMatching(redis, `${prefix}:{${handoff.conversationId}}:*`);
    expect(keys.sort()).toEqual(
      [
        `${prefix}:{${handoff.conversationId}}:${handoff.requestId}`,
        `${prefix}:{${handoff.conversationId}}:current`,
      ].sort(),
    );
    for (const key of keys) {
      const ttl = await redis.pTTL(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('fails with tsid_store_unavailable when Redis cannot be reached', async () => {
    const down = createRedisConnection('redis://127.0.0.1:1', { commandTimeoutMs: 200, maxReconnectDelayMs: 50 });
    try {
      const error = await new RedisHandoffStore(down, { prefix })
        .take('slack:T1:U1#1.0.x', { platform: 'slack', id: 'U', name: 'A' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('tsid_store_unavailable');
    } finally {
      closeRedisConnection(down);
    }
  });
});
