import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryLoginLinkStore } from '../../src/auth/index.js';
import { randomToken } from '../../src/auth/tokens.js';
import { AppError } from '../../src/errors.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { closeRedisConnection, createRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisLoginLinkStore } from '../../src/auth/redis-login-link-store.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { describeLoginLinkStoreContract } from './login-link-store.contract.js';

let redis: RedisConnection;
const prefix = uniquePrefix('login');

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

describeLoginLinkStoreContract('memory', async () => {
  const clock = new ManualClock();
  return { store: new MemoryLoginLinkStore(() => clock.now()), pass: async (ms) => clock.advance(ms) };
});

describeLoginLinkStoreContract('redis', async () => ({
  store: new RedisLoginLinkStore(redis, { prefix }),
  pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('RedisLoginLinkStore on Redis', () => {
  const user = `U${randomToken(6)}`;
  const link = { key: { channel: 'slack' as const, tenant: 'T1', user }, createdAt: 1, expiresAt: 2 };

  it('uses `tsid:login:` keys by default, each with a time to live of at most 10 minutes', async () => {
    const store = new RedisLoginLinkStore(redis);
    const [linkId, state] = [randomToken(24), randomToken()];
    try {
      await store.saveLink(linkId, link, 600_000);
      await store.savePending(state, { linkId, codeVerifier: 'v', nonce: 'n', browserBinding: 'b' }, 600_000);
      const keys = [
        `tsid:login:{${linkId}}:link`,
        `tsid:login:{${linkId}}:states`,
        `tsid:login:state:${state}`,
        `tsid:login:current:slack:T1:${user}`,
      ];
      for (const key of keys) {
        const ttl = await redis.pTTL(key);
        expect(ttl).toBeGreaterThan(590_000);
        expect(ttl).toBeLessThanOrEqual(600_000);
      }
      await store.consumeLink(linkId, 600_000);
      expect(await redis.exists(`tsid:login:{${linkId}}:link`)).toBe(0);
      expect(await redis.pTTL(`tsid:login:{${linkId}}:used`)).toBeGreaterThan(590_000);
    } finally {
      for (const key of [
        `tsid:login:{${linkId}}:link`,
        `tsid:login:{${linkId}}:used`,
        `tsid:login:{${linkId}}:states`,
        `tsid:login:state:${state}`,
        `tsid:login:current:slack:T1:${user}`,
      ])
        await redis.del(key);
    }
  });

  it('fails with tsid_store_unavailable when Redis does not answer', async () => {
    const dead = createRedisConnection('redis://127.0.0.1:1', { commandTimeoutMs: 200 });
    try {
      const store = new RedisLoginLinkStore(dead);
      await expect(store.findLink(randomToken(24))).rejects.toMatchObject({ code: 'tsid_store_unavailable' });
      await expect(store.takePending(randomToken())).rejects.toBeInstanceOf(AppError);
    } finally {
      closeRedisConnection(dead);
    }
  });
});
