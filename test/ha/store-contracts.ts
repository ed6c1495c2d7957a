import { afterAll, beforeAll } from '@jest/globals';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { closeRedisConnection, type RedisConnection, type RedisTarget } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { RedisHandoffStore } from '../../src/handoff/redis-handoff-store.js';
import { RedisLoginLinkStore } from '../../src/auth/redis-login-link-store.js';
import { describeLoginLinkStoreContract } from '../auth/login-link-store.contract.js';
import { describeHandoffStoreContract } from '../handoff/handoff-store.contract.js';
import { describeReminderSchedulerContract } from '../scheduler/reminder-scheduler.contract.js';
import { describeConversationStoreContract } from '../store/conversation-store.contract.js';
import { connectRedis } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';

const realTime = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the four store contracts (conversations with outbox and delivery marks, reminders,
 * login links, hand-offs) on a topology `start` brings up: the same suites a single node
 * runs. Three connections play three instances sharing the reminders. Returns the first
 * connection (once the suites start).
 */
export function describeStoreContractsOn<T extends { dispose(): Promise<void> }>(
  name: string,
  start: () => Promise<T>,
  target: (topology: T) => RedisTarget,
): () => RedisConnection {
  let topology: T | undefined;
  let connections: RedisConnection[] = [];

  beforeAll(async () => {
    topology = await start();
    connections = await Promise.all([0, 1, 2].map(() => connectRedis(target(topology!))));
  }, 90_000);
  afterAll(async () => {
    connections.forEach(closeRedisConnection);
    await topology?.dispose();
  }, 30_000);

  // No floor on delivery-key lifetimes, so the contract can watch one expire.
  describeConversationStoreContract(name, async () => ({
    store: new RedisConversationStore(connections[0], {
      prefix: uniquePrefix('store'),
      retentionMs: 86_400_000,
      minIdempotencyTtlMs: 0,
    }),
    close: async () => undefined,
  }));
  describeReminderSchedulerContract(name, async () => {
    const prefix = uniquePrefix('reminders');
    const [scheduler, ...others] = connections.map((connection) => new RedisReminderScheduler(connection, { prefix }));
    return { scheduler, others, close: async () => undefined };
  });
  describeLoginLinkStoreContract(name, async () => ({
    store: new RedisLoginLinkStore(connections[0], { prefix: uniquePrefix('login') }),
    pass: realTime,
  }));
  describeHandoffStoreContract(name, async () => ({
    store: new RedisHandoffStore(connections[0], { prefix: uniquePrefix('handoff') }),
    pass: realTime,
  }));
  return () => connections[0];
}
