import { ConversationEngine, type ConversationKey } from '../../src/engine/index.js';
import { systemClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { MemoryConversationStore, type ConversationStore } from '../../src/store/conversation-store.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { createCounterFlow } from '../reliability/counter-flow.js';
import { benchRedis, deletePrefix } from './bench-redis.js';

const CONVERSATIONS = 500;
const TURNS = 5000;
const CONCURRENCY = 16;

/** Turns per second through one engine: memory store vs Redis store, counter flow, C=16. */
export async function storeThroughput(): Promise<string[]> {
  const redis = await benchRedis();
  const connection = await redis.connect();
  const prefix = `bench-turns-${process.pid}`;
  try {
    const memory = await measure(new MemoryConversationStore(), new MemoryReminderScheduler());
    const onRedis = await measure(
      new RedisConversationStore(connection, { prefix, retentionMs: 3_600_000 }),
      new RedisReminderScheduler(connection, { prefix }),
    );
    return [
      `turns/s, ${TURNS} turns on ${CONVERSATIONS} conversations, concurrency ${CONCURRENCY}, one engine, counter flow:`,
      `  memory store: ${memory.toFixed(0)} turns/s`,
      `  Redis store:  ${onRedis.toFixed(0)} turns/s (${redis.url.replace(/\/\/.*@/, '//')})`,
    ];
  } finally {
    await deletePrefix(connection, prefix);
    await redis.close();
  }
}

async function measure(
  store: ConversationStore,
  scheduler: MemoryReminderScheduler | RedisReminderScheduler,
): Promise<number> {
  const engine = new ConversationEngine({
    flow: createCounterFlow(),
    store,
    scheduler,
    clock: systemClock,
    deliver: async () => undefined,
  });
  const keys: ConversationKey[] = Array.from({ length: CONVERSATIONS }, (_, i) => ({
    channel: 'local',
    tenant: 'bench',
    user: `u${i}`,
  }));
  await Promise.all(keys.map((key) => engine.handle({ key, event: { type: 'user.text', text: 'hi' } })));
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (let turn = next++; turn < TURNS; turn = next++) {
      await engine.handle({ key: keys[turn % CONVERSATIONS], event: { type: 'user.text', text: 'next' } });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return TURNS / (Number(process.hrtime.bigint() - started) / 1e9);
}
