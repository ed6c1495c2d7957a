import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { ConversationEngine, conversationId, type ConversationKey, type InboundEvent } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { benchRedis, deletePrefix } from './bench-redis.js';
import { keysMatching } from '../support/redis-client.js';

const PARKED = 10_000;

// test/transcripts/03: the customer gets to "check your inbox for the invite" and goes away.
const TO_INVITE_PENDING = [
  'say:ciao', 'Sì', 'Sì', 'Fatto', 'Fatto', 'Fatto', 'Fatto', 'Sì', 'say:luca@pizzeria.it', 'Fatto',
  'say:Pizzeria Luca', 'Sì, è corretto', 'Fatto', 'Sì, scollega Pizzeria Luca', 'Fatto', 'Fatto', 'Fatto',
];

/**
 * Redis bytes per parked conversation (the real guide, waiting for the TS Digital invite,
 * with its reminder armed): MEMORY USAGE of every key, summed over 10,000 conversations,
 * and the growth of INFO used_memory for comparison.
 */
export async function parkedMemory(): Promise<string[]> {
  const redis = await benchRedis();
  const connection = await redis.connect();
  const prefix = `bench-parked-${process.pid}`;
  const store = new RedisConversationStore(connection, { prefix, retentionMs: 30 * 86_400_000 });
  const scheduler = new RedisReminderScheduler(connection, { prefix });
  try {
    const template = await parkOne(store, scheduler);
    const reminders = await scheduler.claimDue(Number.MAX_SAFE_INTEGER, 10, 1);
    const before = await usedMemory(connection);
    for (let batch = 0; batch < PARKED; batch += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, PARKED - batch) }, async (_, i) => {
          const key: ConversationKey = { channel: 'slack', tenant: 'T0123456789', user: `U${String(batch + i).padStart(10, '0')}` };
          await store.save({ ...template.record, key }, 0, []);
          for (const reminder of reminders) await scheduler.schedule({ ...reminder, key, conversationId: conversationId(key) });
        }),
      );
    }
    const grown = (await usedMemory(connection)) - before;
    const { records, reminderKeys } = await usage(connection, prefix);
    return [
      `Redis bytes per parked conversation, ${PARKED} conversations at ${template.step}, ${reminders.length} reminder(s) armed each:`,
      `  record JSON: ${template.json} bytes`,
      `  MEMORY USAGE of the record key: ${(records / PARKED).toFixed(0)} bytes; of the reminder keys: ${(reminderKeys / PARKED).toFixed(0)} bytes`,
      `  INFO used_memory growth: ${(grown / PARKED).toFixed(0)} bytes per conversation`,
    ];
  } finally {
    await deletePrefix(connection, prefix);
    await redis.close();
  }
}

async function parkOne(store: RedisConversationStore, scheduler: RedisReminderScheduler) {
  let choices: { id: string; label: string }[] = [];
  const engine = new ConversationEngine({
    flow: createTsidFlow(),
    store,
    scheduler,
    clock: new ManualClock(),
    deliver: async ({ message }) => {
      if (message.kind === 'prompt' && message.choices?.length) choices = message.choices;
    },
  });
  const key: ConversationKey = { channel: 'slack', tenant: 'T0123456789', user: 'UTEMPLATE' };
  for (const input of TO_INVITE_PENDING) {
    const choice = choices.find((candidate) => candidate.label === input);
    if (!input.startsWith('say:') && !choice) throw new Error(`no button "${input}" (${choices.map((c) => c.label).join(', ')})`);
    const event: InboundEvent = input.startsWith('say:') ? { type: 'user.text', text: input.slice(4) } : { type: 'user.choice', choiceId: choice!.id };
    await engine.handle({ key, event });
  }
  const record = (await store.load(conversationId(key)))!;
  const status = await engine.status(key);
  await store.erase(conversationId(key));
  return { record, step: status?.step, json: JSON.stringify(record).length };
}

async function usedMemory(connection: RedisConnection): Promise<number> {
  const info = await connection.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
}

async function usage(connection: RedisConnection, prefix: string) {
  let records = 0;
  let reminderKeys = 0;
  {
    const keys = await keysMatching(connection, `${prefix}:*`);
    for (const key of keys) {
      const bytes = (await connection.memoryUsage(key, { SAMPLES: 0 })) ?? 0;
      if (key.startsWith(`${prefix}:{rem:`)) reminderKeys += bytes;
      else if (key.endsWith(':rec')) records += bytes;
    }
  }
  return { records, reminderKeys };
}
