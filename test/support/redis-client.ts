import {
  createRedisConnection,
  waitUntilReady,
  type RedisConnection,
  type RedisTarget,
} from '../../src/store/redis-connection.js';
import { testRedisUrl } from './redis.js';

/** A ready connection to `target` (default: the test run's Redis). */
export async function connectRedis(
  target: string | RedisTarget = testRedisUrl(),
  commandTimeoutMs?: number,
): Promise<RedisConnection> {
  const connection = createRedisConnection(target, { commandTimeoutMs });
  await waitUntilReady(connection, 15_000);
  return connection;
}

/** Every key matching `pattern`, on every master when `connection` is a Cluster client (SCAN is per node). */
export async function keysMatching(connection: RedisConnection, pattern: string): Promise<string[]> {
  const nodes =
    'getMasters' in connection
      ? await Promise.all(connection.getMasters().map((master) => connection.nodeClient(master)))
      : [connection];
  const found: string[] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const reply = await node.scan(cursor, { MATCH: pattern, COUNT: 1000 });
      cursor = String(reply.cursor);
      found.push(...reply.keys);
    } while (cursor !== '0');
  }
  return found;
}

/** Deletes every key under `prefix` (a test's own keys; never FLUSHDB on a shared Redis). One DEL per key: they may sit in different slots. */
export async function deleteKeys(connection: RedisConnection, prefix: string): Promise<void> {
  const keys = await keysMatching(connection, `${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500)
    await Promise.all(keys.slice(i, i + 500).map((key) => connection.del(key)));
}
