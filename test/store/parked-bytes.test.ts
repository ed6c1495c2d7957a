import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { conversationId, type ConversationKey } from '../../src/contract/messages.js';
import { ConversationEngine } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { connectRedis, deleteKeys, keysMatching } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { TYPED_TO_INVITE as TO_INVITE } from '../support/typed-walk.js';

const CONVERSATIONS = 200;
const BUDGET = 1200;

/**
 * What a parked conversation (walked to the invite question, its reminder armed, its
 * outbox delivered) costs in Redis, by MEMORY USAGE: its own keys, plus its share of the
 * shared keys (the reminder shard's set, the sweeper index). One reminder shard, so the
 * shard holds all 200 reminders and is encoded as production's large shards are.
 */
describe('a parked conversation on Redis', () => {
  let redis: RedisConnection;
  const prefix = uniquePrefix('parked');

  beforeAll(async () => {
    redis = await connectRedis();
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    closeRedisConnection(redis);
  });

  it(`costs at most ${BUDGET} bytes, its reminder and delivery marks included`, async () => {
    const clock = new ManualClock();
    const store = new RedisConversationStore(redis, { prefix, retentionMs: 30 * 86_400_000 });
    const scheduler = new RedisReminderScheduler(redis, { prefix, shards: 1 });
    const engine = new ConversationEngine({
      flow: createTsidFlow(),
      store,
      scheduler,
      clock,
      deliver: async () => undefined,
    });
    const keys: ConversationKey[] = Array.from({ length: CONVERSATIONS }, (_, i) => ({
      channel: 'slack',
      tenant: 'T0123ABCD',
      user: `U${String(i).padStart(10, '0')}`,
    }));
    let event = 0;
    await Promise.all(
      keys.map(async (key) => {
        for (const text of TO_INVITE)
          await engine.handle({
            key,
            event: { type: 'user.text', text },
            idempotencyKey: `Ev${String(event++).padStart(10, '0')}`,
            reference: { channel: `D${key.user.slice(1)}` },
          });
      }),
    );
    expect((await engine.status(keys[0]))?.step).toMatch(/invite/);
    expect(await scheduler.nextDueAt()).toBeGreaterThan(clock.now());

    const byKind: Record<string, number> = {};
    for (const name of await keysMatching(redis, `${prefix}:*`)) {
      const kind = name.replace(/U\d{10}/, '<user>');
      byKind[kind] = (byKind[kind] ?? 0) + ((await redis.memoryUsage(name, { SAMPLES: 0 })) ?? 0) / CONVERSATIONS;
    }
    const total = Object.values(byKind).reduce((sum, bytes) => sum + bytes, 0);
    for (const [kind, bytes] of Object.entries(byKind))
      console.log(`[figure] parked bytes, ${kind.slice(prefix.length + 1)}: ${Math.round(bytes)}`);
    console.log(`[figure] parked bytes per conversation (MEMORY USAGE): ${Math.round(total)}`);
    console.log(`record: ${await redis.get(`${prefix}:{${conversationId(keys[0])}}:rec`)}`);
    expect(total).toBeLessThanOrEqual(BUDGET);
  }, 60_000);
});
