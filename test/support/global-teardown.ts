/** Stops the redis-server the global setup started (none when REDIS_URL was given). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.tsidRedisServer?.dispose();
  globalThis.tsidRedisServer = undefined;
}
