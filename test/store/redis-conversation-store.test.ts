import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { conversationId, type ConversationKey } from '../../src/contract/messages.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { unmarkScript } from '../../src/store/redis-conversation-scripts.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { connectRedis, deleteKeys, keysMatching } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { describeConversationStoreContract } from './conversation-store.contract.js';

const HOUR = 3_600_000;
let redis: RedisConnection;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

function newStore(
  retentionMs = 30 * 24 * HOUR,
  indexGraceMs?: number,
  minIdempotencyTtlMs?: number,
): { store: RedisConversationStore; prefix: string } {
  const prefix = uniquePrefix('store');
  prefixes.push(prefix);
  return {
    store: new RedisConversationStore(redis, { prefix, retentionMs, indexGraceMs, minIdempotencyTtlMs }),
    prefix,
  };
}

// No floor on delivery-key lifetimes here, so the contract can watch one expire.
describeConversationStoreContract('redis', async () => ({
  store: newStore(undefined, undefined, 0).store,
  close: async () => undefined,
}));

describe('RedisConversationStore on Redis', () => {
  const key: ConversationKey = { channel: 'teams', tenant: 'tenant-1', user: '29:1abc{odd}' };
  const id = conversationId(key);
  const record = (revision: number) => ({
    key,
    flowId: 'counter',
    flowVersion: 1,
    revision,
    snapshot: {},
    updatedAt: revision,
  });
  const item = (itemId: string) => ({
    id: itemId,
    type: 'message' as const,
    message: { kind: 'prompt' as const, step: 's', text: 't' },
  });

  it('keeps every key of a conversation in one hash slot, its whole id the hash tag (a `}` in an id cannot cut it)', async () => {
    const { store, prefix } = newStore();
    await store.save(record(1), 0, [item('1.0'), item('1.1')], { delivery: { key: 'Ev1', ttlMs: HOUR } });
    await store.claimOutboxItem(id, '1.0', 60_000);
    await store.deadLetter(id, '1.1', { code: 'tsid_delivery_rejected', reason: 'http_413', at: 1 });
    const keys = await keysMatching(redis, `${prefix}:{*`);
    expect(keys).toHaveLength(4); // record (delivery marks inside), outbox, lease, dead letters
    expect(store.keysOf(id)).toEqual(expect.arrayContaining(keys));
    expect(new Set(keys.map(hashTag))).toEqual(new Set([id]));
    // Dead letters hold what the customer wrote: they expire with the conversation.
    const dead = store.keysOf(id).find((name) => name.endsWith(':dead'))!;
    expect(await redis.pTTL(dead)).toBeGreaterThan(29 * 24 * HOUR);
  });

  it('gives identities that differ only in where a `:` falls keys of their own', async () => {
    const { store, prefix } = newStore();
    const first: ConversationKey = { channel: 'slack', tenant: 'T1:U2', user: 'X' };
    const second: ConversationKey = { channel: 'slack', tenant: 'T1', user: 'U2:X' };
    await store.save({ ...record(1), key: first }, 0, []);
    await store.save({ ...record(1), key: second }, 0, []);
    expect((await store.load(conversationId(first)))?.key).toEqual(first);
    expect((await store.load(conversationId(second)))?.key).toEqual(second);
    expect(await keysMatching(redis, `${prefix}:{*`)).toHaveLength(2);
  });

  it('puts no newline, brace or control character of an id into a key name', async () => {
    const { store, prefix } = newStore();
    const odd: ConversationKey = { channel: 'teams', tenant: 't{1}\n', user: 'u}\r\n{x\u0000#' };
    await store.save({ ...record(1), key: odd }, 0, [item('1.0')]);
    const keys = await keysMatching(redis, `${prefix}:{*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const name of keys) expect(name.slice(prefix.length + 1)).toMatch(/^\{[^{}\p{Cc}]+\}:[a-z]+$/u);
  });

  it('sets the retention on the record and the outbox, and refreshes it on every save', async () => {
    const { store } = newStore(2 * HOUR);
    await store.save(record(1), 0, [item('1.0')]);
    const [rec, outbox] = store.keysOf(id);
    expect(await redis.pTTL(rec)).toBeGreaterThan(2 * HOUR - 60_000);
    expect(await redis.pTTL(outbox)).toBeGreaterThan(2 * HOUR - 60_000);
    await redis.pExpire(rec, 5000);
    await redis.pExpire(outbox, 5000);
    await store.save(record(2), 1, []);
    expect(await redis.pTTL(rec)).toBeGreaterThan(2 * HOUR - 60_000);
    expect(await redis.pTTL(outbox)).toBeGreaterThan(2 * HOUR - 60_000);
  });

  it('remembers a saved delivery for at least 10 minutes, whatever the caller asks, inside the record', async () => {
    const { store } = newStore();
    const before = Date.now();
    await store.save(record(1), 0, [], { delivery: { key: 'Ev1', ttlMs: 1000 } });
    const [, mark] = /^\d+\|\{"d":"([^"]*)"/.exec((await redis.get(store.keysOf(id)[0]))!)!;
    expect(parseInt(mark.split('.')[1], 36)).toBeGreaterThanOrEqual(before + 600_000);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await store.loadTurn(id, 'Ev1')).seen).toBe(true);
    expect(await keysMatching(redis, `*${id}*seen`)).toEqual([]);
  });

  it('keeps a long delivery key (a Teams activity) as a 12-character digest', async () => {
    const { store } = newStore();
    const teamsKey = `teams:a:${'19:meeting_'.padEnd(120, 'x')}@thread.v2:1712345678901`;
    await store.save(record(1), 0, [], { delivery: { key: teamsKey, ttlMs: HOUR } });
    const [, mark] = /^\d+\|\{"d":"([^"]*)"/.exec((await redis.get(store.keysOf(id)[0]))!)!;
    expect(mark.split('.')[0]).toHaveLength(12);
    expect((await store.loadTurn(id, teamsKey)).seen).toBe(true);
    expect((await store.loadTurn(id, `${teamsKey}2`)).seen).toBe(false);
  });

  it('recognises deliveries the format before marked in its seen set, and folds them into the record at the next save', async () => {
    const { store } = newStore();
    const [rec, , , seen] = store.keysOf(id);
    // As the format before stored them: "<revision>|<record JSON>", and 16-character digests scored by their forget-at.
    await redis.set(rec, `1|${JSON.stringify(record(1))}`);
    const digest = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 16);
    await redis.zAdd(seen, { score: Date.now() + HOUR, value: digest('EvOld') });
    expect(await store.loadTurn(id, 'EvOld')).toEqual({ record: record(1), seen: true });
    expect(await store.save(record(2), 1, [], { delivery: { key: 'EvOld', ttlMs: HOUR } })).toBe('seen');
    expect(await store.save(record(2), 1, [], { delivery: { key: 'EvNew', ttlMs: HOUR } })).toBe('saved');
    expect(await redis.exists(seen)).toBe(0);
    expect((await store.loadTurn(id, 'EvOld')).seen).toBe(true);
    expect((await store.loadTurn(id, 'EvNew')).seen).toBe(true);
    expect(await store.load(id)).toEqual(record(2));
  });

  it("drops a conversation from the sweeper index with the ack of what its save leased, in the ack's round trip", async () => {
    const { store, prefix } = newStore(HOUR);
    expect(await store.save(record(1), 0, [item('1.0'), item('1.1')], { leaseMs: 60_000 })).toBe('leased');
    expect(await redis.zCard(`${prefix}:outbox-pending`)).toBe(1);
    expect(await store.ackOutboxItems(id, ['1.0', '1.1'])).toBe(0);
    expect(await redis.zCard(`${prefix}:outbox-pending`)).toBe(0);
    expect(await keysMatching(redis, `${prefix}:*`)).toEqual([store.keysOf(id)[0]]); // only the record is left
  });

  it('keeps the index entry when a later turn added items before the ack (its mark is newer)', async () => {
    const { store, prefix } = newStore(HOUR);
    expect(await store.save(record(1), 0, [item('1.0')], { leaseMs: 60_000 })).toBe('leased');
    expect(await store.save(record(2), 1, [item('2.0')], { leaseMs: 60_000 })).toBe('saved');
    expect(await store.ackOutboxItems(id, ['1.0'])).toBe(1);
    expect(await store.conversationsWithOutbox(10)).toEqual([id]);
    expect(await redis.zCard(`${prefix}:outbox-pending`)).toBe(1);
  });

  it('drops a conversation from the sweeper index once its outbox is empty and the mark settled', async () => {
    const { store, prefix } = newStore(HOUR, 50);
    await store.save(record(1), 0, [item('1.0')]);
    expect(await redis.zCard(`${prefix}:outbox-pending`)).toBe(1);
    await store.ackOutboxItems(id, ['1.0']);
    expect(await store.conversationsWithOutbox(10)).toEqual([]);
    expect(await redis.zCard(`${prefix}:outbox-pending`)).toBe(1); // too fresh: a save may be in flight
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.conversationsWithOutbox(10)).toEqual([]);
    expect(await redis.zCard(`${prefix}:outbox-pending`)).toBe(0);
    expect(await redis.exists(store.keysOf(id))).toBe(1); // only the record is left
  });

  it('keeps the index entry of a conversation marked again while the sweeper looked', async () => {
    const { store, prefix } = newStore(HOUR, 0);
    const index = `${prefix}:outbox-pending`;
    await store.save(record(1), 0, [item('1.0')]);
    await store.ackOutboxItems(id, ['1.0']);
    const [seen] = await redis.zRangeWithScores(index, 0, 0);
    await store.save(record(2), 1, [item('2.0')]); // marks again: the score moves on
    expect(await unmarkScript.run(redis, [index], [id, seen.score])).toBe(0); // the sweeper's late removal
    expect(await store.conversationsWithOutbox(10)).toEqual([id]);
  });

  it('still saves after Redis lost its script cache (NOSCRIPT falls back to EVAL)', async () => {
    const { store } = newStore();
    await store.save(record(1), 0, []);
    await redis.scriptFlush();
    expect(await store.save(record(2), 1, [item('2.0')])).toBe('saved');
    expect(await store.claimOutboxItem(id, '2.0', 1000)).toBe(true);
  });
});

function hashTag(key: string): string {
  const open = key.indexOf('{');
  return key.slice(open + 1, key.indexOf('}', open + 1));
}
