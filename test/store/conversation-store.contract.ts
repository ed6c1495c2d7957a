import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { conversationId, type ConversationKey } from '../../src/contract/messages.js';
import {
  DELIVERY_MARKS,
  type ConversationRecord,
  type ConversationStore,
  type OutboxItem,
} from '../../src/store/conversation-store.js';

/** A store under test and how to let go of it. */
export interface StoreHarness {
  store: ConversationStore;
  close(): Promise<void>;
}

const newKey = (): ConversationKey => ({ channel: 'slack', tenant: 'T1', user: `U${randomUUID().slice(0, 8)}` });

function record(
  key: ConversationKey,
  revision: number,
  snapshot: unknown = { value: 'x', n: revision },
): ConversationRecord {
  return {
    key,
    flowId: 'counter',
    flowVersion: 1,
    revision,
    snapshot,
    reference: { channel: 'D1', thread: 'é "quoted"\n' },
    updatedAt: 1_700_000_000_000 + revision,
  };
}

const message = (id: string, text: string): OutboxItem => ({
  id,
  type: 'message',
  message: { kind: 'prompt', step: 'counting', text },
});

/**
 * The ConversationStore contract: one suite every implementation runs
 * (memory: test/store/memory-conversation-store.test.ts, Redis: redis-conversation-store.test.ts).
 */
export function describeConversationStoreContract(name: string, open: () => Promise<StoreHarness>): void {
  describe(`ConversationStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: ConversationStore;
    let key: ConversationKey;
    let id: string;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
      key = newKey();
      id = conversationId(key);
    });
    afterEach(() => harness.close());

    it('loads nothing for a conversation never saved', async () => {
      expect(await store.load(id)).toBeUndefined();
      expect(await store.pendingOutbox(id)).toEqual([]);
    });

    it('saves a new record at revision 0 and loads an equal copy', async () => {
      const saved = record(key, 1);
      expect(await store.save(saved, 0, [])).toBe('saved');
      const loaded = await store.load(id);
      expect(loaded).toEqual(saved);
      (loaded!.snapshot as { n: number }).n = 99;
      expect(await store.load(id)).toEqual(saved);
    });

    it('refuses a save on a stale revision and keeps neither its record nor its outbox', async () => {
      await store.save(record(key, 1), 0, [message('1.0', 'first')]);
      expect(await store.save(record(key, 1, { stale: true }), 0, [message('1.1', 'stale')])).toBe('conflict');
      expect(await store.save(record(key, 3), 2, [message('3.0', 'ahead')])).toBe('conflict');
      expect(await store.load(id)).toEqual(record(key, 1));
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual(['1.0']);
    });

    it('lets exactly one of many concurrent saves on the same revision win', async () => {
      await store.save(record(key, 1), 0, []);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.save(record(key, 2, { i }), 1, [message(`2.${i}`, `m${i}`)])),
      );
      expect(results.filter((result) => result === 'saved')).toHaveLength(1);
      expect(results.filter((result) => result === 'conflict')).toHaveLength(9);
      const winner = results.indexOf('saved');
      expect((await store.load(id))?.snapshot).toEqual({ i: winner });
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual([`2.${winner}`]);
    });

    it('keeps the outbox in commit order across turns, every item kind intact', async () => {
      const schedule: OutboxItem = { id: '1.1', type: 'reminder.schedule', reminderId: 'r1', dueAt: 1_700_000_060_000 };
      const cancel: OutboxItem = { id: '2.0', type: 'reminder.cancel', reminderId: 'r1' };
      await store.save(record(key, 1), 0, [message('1.0', 'line one\nline "two" ✓'), schedule]);
      await store.save(record(key, 2), 1, [cancel, message('2.1', 'third')]);
      expect(await store.pendingOutbox(id)).toEqual([
        message('1.0', 'line one\nline "two" ✓'),
        schedule,
        cancel,
        message('2.1', 'third'),
      ]);
    });

    it('leases an outbox item to one claimer until released or acknowledged', async () => {
      await store.save(record(key, 1), 0, [message('1.0', 'a'), message('1.1', 'b')]);
      expect(await store.claimOutboxItem(id, '1.0', 60_000)).toBe(true);
      expect(await store.claimOutboxItem(id, '1.0', 60_000)).toBe(false);
      expect(await store.claimOutboxItem(id, '1.1', 60_000)).toBe(true);
      await store.releaseOutboxItems(id, ['1.0']);
      expect(await store.claimOutboxItem(id, '1.0', 60_000)).toBe(true);
      await store.ackOutboxItems(id, ['1.0']);
      expect(await store.claimOutboxItem(id, '1.0', 60_000)).toBe(false);
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual(['1.1']);
    });

    it("leases a save's new items to the saver when nothing older is pending, and only then", async () => {
      expect(await store.save(record(key, 1), 0, [message('1.0', 'a'), message('1.1', 'b')], { leaseMs: 60_000 })).toBe(
        'leased',
      );
      expect(await store.claimOutboxItem(id, '1.0', 60_000)).toBe(false);
      expect(await store.claimOutboxItem(id, '1.1', 60_000)).toBe(false);
      // Older items pending: the new ones must wait their turn, so they are not leased to the saver.
      expect(await store.save(record(key, 2), 1, [message('2.0', 'c')], { leaseMs: 60_000 })).toBe('saved');
      expect(await store.claimOutboxItem(id, '2.0', 60_000)).toBe(true);
      expect(await store.save(record(key, 3), 2, [], { leaseMs: 60_000 })).toBe('saved');
    });

    it('acknowledges several items at once and tells how many are left', async () => {
      await store.save(record(key, 1), 0, [message('1.0', 'a'), message('1.1', 'b'), message('1.2', 'c')]);
      expect(await store.ackOutboxItems(id, ['1.0', '1.1'])).toBe(1);
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual(['1.2']);
      expect(await store.ackOutboxItems(id, ['1.2', 'never'])).toBe(0);
    });

    it('lets an item be claimed again once its lease ran out (a crashed claimer)', async () => {
      await store.save(record(key, 1), 0, [message('1.0', 'a')]);
      // A lease long enough that a busy machine cannot let it run out between the first two calls.
      expect(await store.claimOutboxItem(id, '1.0', 1000)).toBe(true);
      expect(await store.claimOutboxItem(id, '1.0', 1000)).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await store.claimOutboxItem(id, '1.0', 1000)).toBe(true);
    });

    it('claims nothing that is not in the outbox, and acknowledging it twice is harmless', async () => {
      expect(await store.claimOutboxItem(id, '9.9', 1000)).toBe(false);
      await store.save(record(key, 1), 0, [message('1.0', 'a')]);
      await store.ackOutboxItems(id, ['1.0']);
      await store.ackOutboxItems(id, ['1.0']);
      await store.ackOutboxItems(id, ['never']);
      expect(await store.pendingOutbox(id)).toEqual([]);
    });

    it('lists conversations with outbox work until it is all acknowledged', async () => {
      const other = newKey();
      await store.save(record(key, 1), 0, [message('1.0', 'a')]);
      await store.save(record(other, 1), 0, []);
      expect(await store.conversationsWithOutbox(1000)).toContain(id);
      expect(await store.conversationsWithOutbox(1000)).not.toContain(conversationId(other));
      await store.ackOutboxItems(id, ['1.0']);
      expect(await store.conversationsWithOutbox(1000)).not.toContain(id);
    });

    it('lists at most `limit` conversations', async () => {
      for (let i = 0; i < 3; i++) await store.save(record(newKey(), 1), 0, [message('1.0', 'a')]);
      expect(await store.conversationsWithOutbox(2)).toHaveLength(2);
    });

    it('records a delivery key only with a successful save, and recognises it afterwards', async () => {
      const delivery = { key: `Ev${randomUUID()}`, ttlMs: 3_600_000 };
      expect(await store.loadTurn(id, delivery.key)).toEqual({ record: undefined, seen: false });
      await store.save(record(key, 1), 0, []);
      // A save that lost the compare-and-set records nothing: the retry of that delivery must still run.
      expect(await store.save(record(key, 1), 0, [message('1.0', 'lost')], { delivery })).toBe('conflict');
      expect((await store.loadTurn(id, delivery.key)).seen).toBe(false);
      expect(await store.save(record(key, 2), 1, [message('2.0', 'won')], { delivery })).toBe('saved');
      expect(await store.loadTurn(id, delivery.key)).toEqual({ record: record(key, 2), seen: true });
      expect((await store.loadTurn(id, `${delivery.key}-other`)).seen).toBe(false);
      expect((await store.loadTurn(id)).seen).toBe(false);
    });

    it('refuses a second save of the same delivery even on the current revision', async () => {
      const delivery = { key: `Ev${randomUUID()}`, ttlMs: 3_600_000 };
      expect(await store.save(record(key, 1), 0, [message('1.0', 'a')], { delivery })).toBe('saved');
      expect(await store.save(record(key, 2), 1, [message('2.0', 'again')], { delivery })).toBe('seen');
      expect(await store.load(id)).toEqual(record(key, 1));
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual(['1.0']);
    });

    it('lets exactly one of many concurrent saves of one delivery win, whatever revision each read', async () => {
      await store.save(record(key, 1), 0, []);
      const delivery = { key: `Ev${randomUUID()}`, ttlMs: 3_600_000 };
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.save(record(key, 2 + (i % 2)), 1 + (i % 2), [], { delivery })),
      );
      expect(results.filter((result) => result === 'saved')).toHaveLength(1);
    });

    it(`remembers only the newest ${DELIVERY_MARKS} deliveries (a parked conversation's marks stay small)`, async () => {
      const deliveries = Array.from({ length: DELIVERY_MARKS + 1 }, () => ({
        key: `Ev${randomUUID()}`,
        ttlMs: 3_600_000,
      }));
      for (const [index, delivery] of deliveries.entries())
        expect(await store.save(record(key, index + 1), index, [], { delivery })).toBe('saved');
      expect((await store.loadTurn(id, deliveries[0].key)).seen).toBe(false);
      for (const delivery of deliveries.slice(1)) expect((await store.loadTurn(id, delivery.key)).seen).toBe(true);
    });

    it('forgets a delivery key after its time', async () => {
      const delivery = { key: `Ev${randomUUID()}`, ttlMs: 1000 };
      await store.save(record(key, 1), 0, [], { delivery });
      expect((await store.loadTurn(id, delivery.key)).seen).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await store.loadTurn(id, delivery.key)).seen).toBe(false);
    });

    it('erases the record, its outbox and its delivery keys', async () => {
      await store.save(record(key, 1), 0, [message('1.0', 'a')], { delivery: { key: 'Ev-erased', ttlMs: 3_600_000 } });
      await store.claimOutboxItem(id, '1.0', 60_000);
      await store.erase(id);
      expect(await store.load(id)).toBeUndefined();
      expect(await store.pendingOutbox(id)).toEqual([]);
      expect(await store.conversationsWithOutbox(1000)).not.toContain(id);
      expect((await store.loadTurn(id, 'Ev-erased')).seen).toBe(false);
      expect(await store.save(record(key, 1), 0, [])).toBe('saved');
    });

    it('moves a refused item to the dead letters, its notice taking its place in the outbox', async () => {
      await store.save(record(key, 1), 0, [message('1.0', 'a'), message('1.1', 'bad'), message('1.2', 'c')]);
      expect(await store.claimOutboxItem(id, '1.1', 60_000)).toBe(true);
      const notice = { ...message('1.1.notice', 'could not be shown'), notice: true as const };
      const why = { code: 'tsid_delivery_rejected', reason: 'slack_invalid_blocks', at: 1_000 };
      expect(await store.deadLetter(id, '1.1', why, notice)).toBe(true);
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual(['1.0', '1.1.notice', '1.2']);
      expect((await store.pendingOutbox(id))[1]).toEqual(notice);
      expect(await store.deadLetters(10)).toEqual([
        { id: `${id}/1.1`, conversationId: id, item: message('1.1', 'bad'), ...why },
      ]);
      // The item is gone from the outbox: a second move (another instance) does nothing.
      expect(await store.deadLetter(id, '1.1', why, notice)).toBe(false);
      expect(await store.conversationsWithOutbox(1000)).toContain(id);
    });

    it('lists dead letters newest first over all conversations and replays one at the end of its outbox', async () => {
      const other = newKey();
      const otherId = conversationId(other);
      await store.save(record(key, 1), 0, [message('1.0', 'first'), message('1.1', 'next')]);
      await store.save(record(other, 1), 0, [message('1.0', 'second')]);
      const why = (at: number) => ({ code: 'tsid_delivery_rejected', reason: 'http_413', at });
      // Moved in the other order than their times: "newest" is the letter's time, not the move's.
      expect(await store.deadLetter(otherId, '1.0', why(2_000))).toBe(true);
      expect(await store.deadLetter(id, '1.0', why(1_000))).toBe(true);
      expect((await store.deadLetters(10)).map((letter) => letter.id)).toEqual([`${otherId}/1.0`, `${id}/1.0`]);
      expect((await store.deadLetters(1)).map((letter) => letter.id)).toEqual([`${otherId}/1.0`]);
      expect(await store.pendingOutbox(otherId)).toEqual([]);

      expect(await store.replayDeadLetter(`${id}/1.0`)).toBe(true);
      expect((await store.pendingOutbox(id)).map((item) => item.id)).toEqual(['1.1', '1.0']);
      expect((await store.pendingOutbox(id))[1]).toEqual(message('1.0', 'first'));
      expect(await store.conversationsWithOutbox(1000)).toContain(id);
      expect((await store.deadLetters(10)).map((letter) => letter.id)).toEqual([`${otherId}/1.0`]);
      expect(await store.replayDeadLetter(`${id}/1.0`)).toBe(false);
      expect(await store.replayDeadLetter('no-slash')).toBe(false);
    });

    it('keeps the newest 100 dead letters of a conversation, and erases them with it', async () => {
      const items = Array.from({ length: 101 }, (_, index) => message(`1.${index}`, `m${index}`));
      await store.save(record(key, 1), 0, items);
      for (const [index, item] of items.entries())
        await store.deadLetter(id, item.id, { code: 'tsid_delivery_rejected', reason: 'encoding', at: index });
      const letters = await store.deadLetters(1000);
      expect(letters).toHaveLength(100);
      expect(letters[0].id).toBe(`${id}/1.100`);
      expect(letters.at(-1)!.id).toBe(`${id}/1.1`);
      await store.erase(id);
      expect(await store.deadLetters(1000)).toEqual([]);
    });

    it('answers a ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
