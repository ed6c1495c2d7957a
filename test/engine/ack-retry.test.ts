import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConversationEngine, conversationId, type Delivery } from '../../src/engine/index.js';
import { AppError } from '../../src/errors.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import type { ConversationStore } from '../../src/store/conversation-store.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { createCounterFlow, textOf } from '../reliability/counter-flow.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';

const LEASE_MS = 300;
let redis: RedisConnection;
const prefix = uniquePrefix('ack-retry');

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

/** The real Redis store whose first `failures` acks fail as a Redis timeout does (the write may not have happened). */
function failingAcks(failures: number): ConversationStore {
  const store = new RedisConversationStore(redis, { prefix, retentionMs: 3_600_000 });
  const wrapper = Object.create(store) as ConversationStore;
  wrapper.ackOutboxItems = async (id, itemIds) => {
    if (failures-- > 0)
      throw new AppError('tsid_store_unavailable', 'Redis ack outbox items: no answer within 2000 ms');
    return store.ackOutboxItems(id, itemIds);
  };
  return wrapper;
}

describe('a sender whose ack fails', () => {
  it('re-acks what it delivered, its lease renewed meanwhile, so a sweeper running all along sends nothing twice', async () => {
    const store = failingAcks(6); // about 600 ms of failing acks: twice the lease
    const sent: string[] = [];
    const deliver = async (delivery: Delivery) => void sent.push(textOf(delivery.message));
    const engine = new ConversationEngine({
      flow: createCounterFlow(),
      store,
      scheduler: new MemoryReminderScheduler(),
      clock: new ManualClock(),
      deliver,
      outboxLeaseMs: LEASE_MS,
    });
    // Another instance's sweeper, looking every 20 ms for items whose lease ran out.
    const sweeper = new OutboxSweeper({ engine, store });
    sweeper.start(20);
    const key = { channel: 'local' as const, tenant: 'local', user: randomUUID() };
    try {
      await engine.handle({ key, event: { type: 'user.text', text: 'hi' } });
      await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS)); // room for a wrong re-send
    } finally {
      await sweeper.stop();
    }
    expect(sent).toEqual(['hello']);
    expect(await store.pendingOutbox(conversationId(key))).toEqual([]);
  });
});
