import { createRedisConnection, waitUntilReady, type RedisConnection } from '../../src/store/redis-connection.js';
import { testRedisUrl } from './redis.js';

/** A ready connection to `url` (default: the test run's Redis). */
export async function connectRedis(url = testRedisUrl(), commandTimeoutMs?: number): Promise<RedisConnection> {
  const connection = createRedisConnection(url, { commandTimeoutMs });
  await waitUntilReady(connection);
  return connection;
}

/** Deletes every key under `prefix` (a test's own keys; never FLUSHDB on a shared Redis). */
export async function deleteKeys(connection: RedisConnection, prefix: string): Promise<void> {
  for await (const keys of connection.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
    if (keys.length > 0) await connection.del(keys);
  }
}
