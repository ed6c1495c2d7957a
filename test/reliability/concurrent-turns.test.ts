import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { conversationId } from '../../src/engine/index.js';
import { countOf } from './counter-flow.js';
import { closeInstances, newKey, recordingDeliver, startInstances, type Instance } from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('concurrent');
const sent: { conversationId: string; text: string; at: number }[] = [];
let instances: Instance[];
let conflicts = 0;

beforeAll(async () => {
  instances = await startInstances(4, {
    url: testRedisUrl(),
    prefix,
    deliver: recordingDeliver(sent),
    onConflict: () => void conflicts++,
  });
});
afterAll(async () => {
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  await redis.destroy();
  closeInstances(instances);
});

describe('turns racing on Redis', () => {
  it('applies 200 concurrent turns on one conversation from 4 instances, compare-and-set turning stale saves away: 0 lost, revision +200', async () => {
    const key = newKey('race');
    const id = conversationId(key);
    await instances[0].engine.handle({ key, event: { type: 'user.text', text: 'hi' } });
    const before = (await instances[0].store.load(id))!.revision;
    conflicts = 0;
    let otherInstanceSaved!: () => void;
    const afterOtherSave = new Promise<void>((resolve) => (otherInstanceSaved = resolve));
    for (const { store } of instances.slice(1)) {
      const save = store.save.bind(store);
      store.save = async (...args) => {
        const outcome = await save(...args);
        if (outcome === 'saved' || outcome === 'leased') otherInstanceSaved();
        return outcome;
      };
    }
    // Racing alone may never collide; so that compare-and-set surely has a stale save to turn
    // away, instance 0's first read is handed over only after another instance saved on top of it.
    const first = instances[0].store;
    const loadTurn = first.loadTurn.bind(first);
    let held = false;
    first.loadTurn = async (...args) => {
      const start = await loadTurn(...args);
      if (!held) {
        held = true;
        await afterOtherSave;
      }
      return start;
    };

    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        instances[i % 4].engine.handle({ key, event: { type: 'user.text', text: `answer ${i}` } }),
      ),
    );
    const elapsed = Date.now() - started;

    const after = (await instances[0].store.load(id))!;
    expect(results.every((result) => result.status === 'done')).toBe(true);
    expect(after.revision - before).toBe(200);
    expect(countOf(after.snapshot)).toBe(200);
    const counts = sent.filter((d) => d.conversationId === id && d.text.startsWith('count ')).map((d) => d.text);
    expect(new Set(counts).size).toBe(200);
    expect(counts).toHaveLength(200);
    expect(await instances[0].store.pendingOutbox(id)).toEqual([]);
    // Four instances on one conversation: the compare-and-set, not luck, kept every answer.
    expect(conflicts).toBeGreaterThan(0);
    console.log(
      `[figure] concurrent turns on one conversation, 4 instances, compare-and-set conflicts retried: ${conflicts}`,
    );
    console.log(`[figure] 200 concurrent turns, revision +${after.revision - before}, ms: ${elapsed}`);
  });

  it('answers the same inbound delivery sent 4 times to 3 instances exactly once', async () => {
    const conversations = Array.from({ length: 25 }, () => newKey('dup'));
    const outcomes = await Promise.all(
      conversations.map((key, n) =>
        Promise.all(
          Array.from({ length: 4 }, (_, copy) =>
            instances[copy % 3].engine.handle({
              key,
              event: { type: 'user.choice', choiceId: 'yes' },
              idempotencyKey: `Ev-${prefix}-${n}`,
            }),
          ),
        ),
      ),
    );
    for (const [n, key] of conversations.entries()) {
      expect(outcomes[n].map((result) => result.status).sort()).toEqual([
        'done',
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
      const replies = sent.filter((d) => d.conversationId === conversationId(key)).map((d) => d.text);
      expect(replies).toEqual(['hello', 'count 1']);
      expect((await instances[1].store.load(conversationId(key)))!.revision).toBe(1);
    }
  });
});
