import { MemoryLoginLinkStore, type LoginLinkStore } from '../auth/index.js';
import type { Config } from '../config/load-config.js';
import type { Logger } from './logger.js';
import type { Clock } from '../scheduler/clock.js';
import { RedisReminderScheduler } from '../scheduler/redis-reminder-scheduler.js';
import { MemoryReminderScheduler, type ReminderScheduler } from '../scheduler/reminder-scheduler.js';
import { MemoryConversationStore, type ConversationStore } from '../store/conversation-store.js';
import {
  closeRedisConnection,
  createRedisConnection,
  observeRedis,
  type RedisObserver,
  type RedisTarget,
} from '../store/redis-connection.js';
import { RedisConversationStore } from '../store/redis-conversation-store.js';
import { RedisOverflowInbox } from '../store/redis-overflow-inbox.js';
import { RedisDataMark } from '../store/redis-data-mark.js';
import { RedisLoginLinkStore } from '../auth/redis-login-link-store.js';
import { MemoryHandoffStore, type HandoffStore } from '../handoff/index.js';
import { RedisHandoffStore } from '../handoff/redis-handoff-store.js';
import type { CampaignStore } from '../campaign/index.js';
import { RedisCampaignStore } from '../campaign/redis-campaign-store.js';

/** Where conversations, reminders and login links live: Redis when configured, else memory. */
export interface Storage {
  kind: 'redis' | 'memory';
  store: ConversationStore;
  scheduler: ReminderScheduler;
  loginLinks: LoginLinkStore;
  handoffs: HandoffStore;
  /** Campaigns need instances to share their queue: Redis only (undefined in memory). */
  campaigns?: CampaignStore;
  /** Turns past the budget wait here instead of being refused: Redis only (memory refuses them). */
  inbox?: RedisOverflowInbox;
  /** What tells a loss of Redis's data (its mark gone) and what went with it: Redis only. */
  dataLoss?: { mark: RedisDataMark; countReminders: () => Promise<number> };
  close(): void;
}

export function createStorage(config: Config, clock: Clock, logger: Logger, observer?: RedisObserver): Storage {
  const target = redisTarget(config);
  if (!target) {
    logger.warn(
      { storage: 'memory' },
      'REDIS_URL (or REDIS_CLUSTER_NODES, REDIS_SENTINELS) is unset: conversations live in memory, single instance only, lost on restart',
    );
    return {
      kind: 'memory',
      store: new MemoryConversationStore(() => clock.now()),
      scheduler: new MemoryReminderScheduler(),
      loginLinks: new MemoryLoginLinkStore(() => clock.now()),
      handoffs: new MemoryHandoffStore(() => clock.now()),
      close: () => undefined,
    };
  }
  let lastReported = 0;
  const connection = createRedisConnection(target, {
    name: 'tsid-assistant',
    commandTimeoutMs: config.redisCommandTimeoutMs,
    // A down Redis reports on every reconnect attempt: say it at most every 10 s.
    onError: (error) => {
      if (Date.now() - lastReported < 10_000) return;
      lastReported = Date.now();
      logger.error(
        { storage: 'redis', code: 'tsid_store_unavailable', cause: error.message },
        'Redis connection problem',
      );
    },
  });
  if (observer) observeRedis(connection, observer);
  const scheduler = new RedisReminderScheduler(connection, { prefix: config.redisPrefix });
  return {
    kind: 'redis',
    // Cluster / Sentinel: a turn is acknowledged once a replica has it (or after 100 ms without one), so a failover loses fewer acknowledged turns.
    store: new RedisConversationStore(connection, {
      prefix: config.redisPrefix,
      retentionMs: config.dataRetentionMs,
      replicaWaitMs: target.kind === 'single' ? 0 : 100,
    }),
    scheduler,
    dataLoss: { mark: new RedisDataMark(connection, config.redisPrefix), countReminders: () => scheduler.count() },
    loginLinks: new RedisLoginLinkStore(connection, { prefix: `${config.redisPrefix}:login` }),
    handoffs: new RedisHandoffStore(connection, {
      prefix: `${config.redisPrefix}:handoff`,
      retentionMs: config.dataRetentionMs,
      now: () => clock.now(),
    }),
    campaigns: new RedisCampaignStore(connection, { prefix: config.redisPrefix, retentionMs: config.dataRetentionMs }),
    inbox: new RedisOverflowInbox(connection, { prefix: config.redisPrefix, maxEntries: config.overflowInboxMax }),
    close: () => closeRedisConnection(connection),
  };
}

/** The one Redis topology the configuration names (config.ts allows only one), or none. */
export function redisTarget(
  config: Pick<Config, 'redisUrl' | 'redisClusterNodes' | 'redisSentinels' | 'redisSentinelName'>,
): RedisTarget | undefined {
  if (config.redisClusterNodes) return { kind: 'cluster', nodes: config.redisClusterNodes };
  if (config.redisSentinels && config.redisSentinelName)
    return { kind: 'sentinel', sentinels: config.redisSentinels, name: config.redisSentinelName };
  return config.redisUrl ? { kind: 'single', url: config.redisUrl } : undefined;
}
