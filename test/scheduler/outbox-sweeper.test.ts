import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConversationEngine, conversationId, type Delivery } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore, type ConversationStore } from '../../src/store/conversation-store.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { createCounterFlow, textOf } from '../reliability/counter-flow.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';

let redis: RedisConnection;
const prefix = uniquePrefix('sweeper');

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

const stores: [string, () => ConversationStore][] = [
  ['memory', () => new MemoryConversationStore()],
  ['redis', () => new RedisConversationStore(redis, { prefix, retentionMs: 3_600_000 })],
];

describe.each(stores)('OutboxSweeper on the %s store', (_name, createStore) => {
  function setup(failFirst: number) {
    const store = createStore();
    const sent: string[] = [];
    let failures = failFirst;
    const deliver = async (delivery: Delivery) => {
      if (failures-- > 0) throw new Error('platform down');
      sent.push(textOf(delivery.message));
    };
    const engine = new ConversationEngine({
      flow: createCounterFlow(),
      store,
      scheduler: new MemoryReminderScheduler(),
      clock: new ManualClock(),
      deliver,
      outboxLeaseMs: 60_000,
    });
    const key = { channel: 'local' as const, tenant: 'local', user: randomUUID() };
    return { store, engine, sent, key, sweeper: new OutboxSweeper({ engine, store }) };
  }

  it('delivers what a failed send left in the outbox, in order, once', async () => {
    const { engine, sent, key, sweeper, store } = setup(1);
    await engine.handle({ key, event: { type: 'user.choice', choiceId: 'go' } });
    expect(sent).toEqual([]); // 'hello' failed, so 'count 1' waited behind it
    expect(await store.conversationsWithOutbox(100)).toContain(conversationId(key));
    await sweeper.sweep();
    expect(sent).toEqual(['hello', 'count 1']);
    await sweeper.sweep();
    expect(sent).toEqual(['hello', 'count 1']);
    expect(await store.conversationsWithOutbox(100)).not.toContain(conversationId(key));
  });

  it('keeps sweeping on a timer until stopped', async () => {
    const { engine, sent, key, sweeper } = setup(1);
    await engine.handle({ key, event: { type: 'user.text', text: 'hi' } });
    sweeper.start(10);
    for (let i = 0; i < 100 && sent.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await sweeper.stop();
    expect(sent).toEqual(['hello']);
  });

  it('reports a failing pass and goes on with the next conversation', async () => {
    const { engine, sent, key, store } = setup(2);
    const other = { ...key, user: `${key.user}-2` };
    await engine.handle({ key, event: { type: 'user.text', text: 'hi' } });
    await engine.handle({ key: other, event: { type: 'user.text', text: 'hi' } });
    const errors: unknown[] = [];
    const flaky = {
      flush: async (id: string) => (id === conversationId(key) ? Promise.reject(new Error('boom')) : engine.flush(id)),
    };
    await new OutboxSweeper({ engine: flaky, store, onError: (error) => errors.push(error) }).sweep();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['hello']);
  });
});
