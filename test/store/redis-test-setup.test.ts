import { describe, expect, it } from '@jest/globals';
import { provideRedis } from '../support/global-setup.js';
import { freePort } from '../support/redis.js';

// The Jest global setup must fail loudly, never skip, when it has no Redis to offer.
describe('the Redis test setup', () => {
  it('fails with a clear message when REDIS_URL points at nothing', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    await expect(provideRedis(env)).rejects.toThrow(/REDIS_URL is set but Redis does not answer there/);
  });

  it('fails with a clear message when REDIS_URL is unset and redis-server is not installed', async () => {
    await expect(provideRedis({}, '/nonexistent/redis-server')).rejects.toThrow(
      /redis-server not found.*set REDIS_URL.*apt-get install -y redis-server/,
    );
  });

  it('starts a redis-server of its own when REDIS_URL is unset', async () => {
    const { url, server } = await provideRedis({});
    try {
      expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(server?.url).toBe(url);
    } finally {
      await server?.dispose();
    }
  });
});
