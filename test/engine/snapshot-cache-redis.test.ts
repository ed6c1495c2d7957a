import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { countingRestores, id, instance, key, OPENING, wordsFlow } from './words-flow.js';

let redis: RedisConnection;
const prefix = uniquePrefix('snapshot-cache');

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

describe('the snapshot cache on the Redis store', () => {
  it('hits on what this instance saved, and not after another erased the conversation and started it again', async () => {
    const store = new RedisConversationStore(redis, { prefix, retentionMs: 60_000 });
    const flow = wordsFlow();
    const counted = countingRestores(flow);
    const a = instance(store, flow);
    const b = instance(store, wordsFlow());
    await a.say(OPENING);
    await a.say('one');
    expect(await a.say('two')).toBe('one two');
    expect(counted.restores).toBe(0); // the incarnation came back from Redis with the record
    await b.engine.erase(key);
    await b.say(OPENING);
    await b.say('new');
    await b.say('start');
    expect((await store.load(id))?.revision).toBe(3);
    expect(await a.say('here')).toBe('new start here');
  });
});
