import { describe, expect, it } from '@jest/globals';
import type { AnyMachineSnapshot } from 'xstate';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { SnapshotCache } from '../../src/engine/snapshot-cache.js';
import {
  MemoryConversationStore,
  type ConversationRecord,
  type ConversationStore,
} from '../../src/store/conversation-store.js';
import { countingRestores, id, instance, key, OPENING, wordsFlow } from './words-flow.js';

describe('the snapshot cache', () => {
  it('starts the next turn of a conversation this instance saved without restoring its snapshot', async () => {
    const flow = wordsFlow();
    const counted = countingRestores(flow);
    const a = instance(new MemoryConversationStore(), flow);
    await a.say(OPENING);
    await a.say('one');
    await a.say('two');
    expect(await a.say('three')).toBe('one two three');
    expect(counted.restores).toBe(0);
  });

  it('does not serve its snapshot when another instance saved a newer revision', async () => {
    const store = new MemoryConversationStore();
    const a = instance(store, wordsFlow());
    const b = instance(store, wordsFlow());
    await a.say(OPENING);
    await a.say('one');
    await a.say('two'); // a holds revision 3
    await b.say('three'); // revision 4, by b
    expect(await a.say('four')).toBe('one two three four');
  });

  it('does not serve its snapshot for a conversation erased and started again up to the same revision', async () => {
    const store = new MemoryConversationStore();
    const a = instance(store, wordsFlow());
    const b = instance(store, wordsFlow());
    await a.say(OPENING);
    await a.say('one');
    await a.say('two'); // a holds revision 3 of the first conversation
    await b.engine.erase(key);
    await b.say(OPENING);
    await b.say('new');
    await b.say('start'); // revision 3 again, of the second one
    expect((await store.load(id))?.revision).toBe(3);
    expect(await a.say('here')).toBe('new start here');
  });

  it('never serves a record saved without an incarnation (an older deploy), and the next save gives it one', async () => {
    const store = new MemoryConversationStore();
    // An instance of a deploy from before incarnations: its saves carry none.
    const older: ConversationStore = Object.assign(Object.create(store) as ConversationStore, {
      save: (record: ConversationRecord, ...rest: [number, never[]]) => {
        const { incarnation: _dropped, ...without } = record;
        return store.save(without, ...rest);
      },
    });
    const a = instance(store, wordsFlow());
    const b = instance(older, wordsFlow());
    await a.say(OPENING);
    await a.say('one');
    await a.say('two');
    await b.engine.erase(key);
    await b.say(OPENING);
    await b.say('old');
    await b.say('deploy');
    expect((await store.load(id))?.incarnation).toBeUndefined();
    expect(await a.say('here')).toBe('old deploy here');
    expect((await store.load(id))?.incarnation).toEqual(expect.any(String));
  });

  it('changes nothing a turn of the real guide produces: messages and stored records as without it', async () => {
    const guide = ['ciao', 'sì', 'sì', 'fatto', 'fatto', 'fatto', 'fatto', 'sì', 'a@b.it', 'fatto', 'fatto'];
    const walk = async (snapshotCacheSize: number) => {
      const store = new MemoryConversationStore(() => 0);
      const bot = instance(store, createTsidFlow(), snapshotCacheSize);
      const records: unknown[] = [];
      for (const text of [...guide, 'Bar Roma 01234560785, Trattoria', 'sì', 'ok', 'stato']) {
        await bot.say(text);
        const { incarnation: _random, ...record } = (await store.load(id))!;
        records.push(record);
      }
      return { messages: bot.delivered.map((delivery) => delivery.message), records };
    };
    const cached = await walk(100);
    expect(cached.records).toHaveLength(15);
    expect(cached).toEqual(await walk(0));
  });
});

describe('SnapshotCache', () => {
  const record = (revision: number, incarnation?: string) => ({ revision, incarnation }) as ConversationRecord;
  const snapshot = (name: string) => ({ value: name }) as unknown as AnyMachineSnapshot;

  it('hits only on the revision and incarnation it was given', () => {
    const cache = new SnapshotCache(10);
    cache.set('c', record(3, 'i1'), snapshot('s'));
    expect(cache.get('c', record(3, 'i1'))).toEqual(snapshot('s'));
    expect(cache.get('c', record(4, 'i1'))).toBeUndefined();
    expect(cache.get('c', record(3, 'i2'))).toBeUndefined();
    expect(cache.get('c', record(3))).toBeUndefined();
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new SnapshotCache(2);
    cache.set('a', record(1, 'i'), snapshot('a'));
    cache.set('b', record(1, 'i'), snapshot('b'));
    cache.get('a', record(1, 'i')); // b is now the least recently used
    cache.set('c', record(1, 'i'), snapshot('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('b', record(1, 'i'))).toBeUndefined();
    expect(cache.get('a', record(1, 'i'))).toEqual(snapshot('a'));
  });
});
