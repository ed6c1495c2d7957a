import type { SingleNodeConnection } from '../../../src/store/redis-connection.js';
import { cloneParked } from './clone-parked.js';
import { usedMemory } from './redis-probe.js';
import { round } from './stats.js';
import { INVITE_QUESTION, TO_INVITE } from './walks.js';
import type { WireClient } from './wire-client.js';

export interface ParkedReport {
  conversations: number;
  /** Of which walked over the wire; the others are copies of the first (clone-parked.ts). */
  walked: number;
  /** INFO used_memory growth per parked conversation. */
  usedMemoryPerConversation: number;
  /** MEMORY USAGE per parked conversation, by key kind (the user id shown as `<user>`; shared keys by their growth). */
  memoryUsageByKind: Record<string, number>;
  keysPerConversation: number;
  seconds: number;
}

const PARKED_USER = 'UPARK';
const parkedUser = (index: number) => `${PARKED_USER}${String(index).padStart(7, '0')}`;
/** Keys of no one conversation: not a benchmark user's. */
const isShared = (key: string) => !/bench|park|floor:/i.test(key);

/**
 * Walks customers over the wire to the TS Digital invite question (reminders armed), copies
 * them up to `count`, and leaves them there: Redis bytes per parked conversation, by used_memory growth and by
 * MEMORY USAGE of each kind of key.
 */
export async function parkConversations(options: {
  client: WireClient;
  /** Messages per request of the walk that starts with TO_INVITE (from calibration). */
  messages: number[];
  probe: SingleNodeConnection;
  count: number;
  /** Walk this many over the wire, copy the first for the rest. */
  walk: number;
  concurrency: number;
  log: (line: string) => void;
}): Promise<ParkedReport> {
  const { client, probe, count } = options;
  const started = Date.now();
  const requests = client.requests(TO_INVITE);
  const sharedBefore = await sharedUsage(probe);
  const before = await usedMemory(probe);
  const walked = Math.min(count, options.walk);
  let next = 0;
  const park = async () => {
    for (let index = next++; index < walked; index = next++) {
      const tracked = client.open(parkedUser(index));
      let expected = 0;
      for (const [step, request] of requests.entries()) {
        const status = await client.send(tracked, request);
        if (status !== 200) throw new Error(`parking: HTTP ${status}`);
        await tracked.until((expected += options.messages[step]), 15_000);
      }
      if (!client.lastText(tracked).includes(INVITE_QUESTION))
        throw new Error(`parking: ended at "${client.lastText(tracked).slice(0, 120)}"`);
      client.close(tracked);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, walked) }, park));
  await new Promise((resolve) => setTimeout(resolve, 500)); // deliveries acknowledged, outbox emptied
  await cloneParked(
    probe,
    parkedUser(0),
    Array.from({ length: count - walked }, (_, i) => parkedUser(walked + i)),
  );
  const grown = (await usedMemory(probe)) - before;
  const byKind: Record<string, number> = {};
  let keys = 0;
  for await (const batch of probe.scanIterator({ MATCH: `*${PARKED_USER}*`, COUNT: 1000 })) {
    for (const key of batch) {
      const kind = key.replace(new RegExp(`${PARKED_USER}\\d+`, 'g'), '<user>');
      byKind[kind] = (byKind[kind] ?? 0) + ((await probe.memoryUsage(key, { SAMPLES: 0 })) ?? 0);
      keys++;
    }
  }
  const sharedAfter = await sharedUsage(probe);
  for (const [key, bytes] of sharedAfter) {
    const growth = bytes - (sharedBefore.get(key) ?? 0);
    if (growth > 0) byKind[`${key} (shared)`] = growth;
  }
  for (const kind of Object.keys(byKind)) byKind[kind] = round(byKind[kind] / count);
  options.log(`parked ${count} conversations in ${Math.round((Date.now() - started) / 1000)} s`);
  return {
    conversations: count,
    walked,
    usedMemoryPerConversation: round(grown / count),
    memoryUsageByKind: byKind,
    keysPerConversation: round(keys / count),
    seconds: Math.round((Date.now() - started) / 1000),
  };
}

async function sharedUsage(probe: SingleNodeConnection): Promise<Map<string, number>> {
  const usage = new Map<string, number>();
  for await (const batch of probe.scanIterator({ MATCH: '*', COUNT: 1000 })) {
    for (const key of batch) if (isShared(key)) usage.set(key, (await probe.memoryUsage(key, { SAMPLES: 0 })) ?? 0);
  }
  return usage;
}
