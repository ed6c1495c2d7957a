import {
  closeRedisConnection,
  createRedisConnection,
  waitUntilReady,
  type SingleNodeConnection,
} from '../../src/store/redis-connection.js';
import { startRedisServer, type RedisServer } from '../support/redis.js';
import { deleteKeys } from '../support/redis-client.js';

/** A Redis for a benchmark: REDIS_URL when set, else a private redis-server started here. */
export interface BenchRedis {
  url: string;
  connect(): Promise<SingleNodeConnection>;
  close(): Promise<void>;
}

export async function benchRedis(): Promise<BenchRedis> {
  let server: RedisServer | undefined;
  const url = process.env.REDIS_URL ?? (server = await startRedisServer()).url;
  const opened: SingleNodeConnection[] = [];
  return {
    url,
    async connect() {
      const connection = createRedisConnection(url);
      await waitUntilReady(connection);
      opened.push(connection);
      return connection;
    },
    async close() {
      opened.forEach(closeRedisConnection);
      await server?.dispose();
    },
  };
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(connection: SingleNodeConnection, prefix: string): Promise<void> {
  await deleteKeys(connection, prefix);
}
