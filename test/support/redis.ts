import { randomUUID } from 'node:crypto';
import { REDIS_MISSING_HELP } from './global-setup.js';

export { startRedisServer, ping, freePort, type RedisServer } from './global-setup.js';

/** The Redis the global setup provided; throws a clear error instead of skipping. */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error(`REDIS_URL is not set: the Jest global setup should have set it. ${REDIS_MISSING_HELP}`);
  return url;
}

/** A key prefix of its own for one test, so test files can share one Redis. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}
