import { describe, expect, it } from '@jest/globals';
import type { HandoffAgent, HandoffStore, NewHandoff } from '../../src/handoff/index.js';

export interface StoreFixture {
  store: HandoffStore;
  /** Lets `ms` pass for the store's clock. */
  pass(ms: number): Promise<void>;
}

let counter = 0;

/** A new hand-off of its own conversation, so tests never see each other's records. */
export function newHandoff(): NewHandoff {
  counter += 1;
  const user = `U${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const conversationId = `slack:T1:${user}`;
  return {
    requestId: `${conversationId}#3.1.abc`,
    conversationId,
    key: { channel: 'slack', tenant: 'T1', user },
    platform: 'slack',
    card: {
      title: 'hand-off requested (customer-asked) at tsid.intro',
      facts: [{ label: 'Reason', value: 'customer-asked' }],
      lastMessages: ['operatore'],
    },
    createdAt: 1000,
  };
}

const giulia: HandoffAgent = { platform: 'slack', id: 'UGIULIA', name: 'Giulia' };
const marco: HandoffAgent = { platform: 'slack', id: 'UMARCO', name: 'Marco' };

/** What every HandoffStore does, run against the memory and the Redis implementation. */
export function describeHandoffStoreContract(name: string, fixture: () => Promise<StoreFixture>): void {
  describe(`HandoffStore contract: ${name}`, () => {
    it('lets one caller post a request; after the post it is "posted", never posted twice', async () => {
      const { store } = await fixture();
      const handoff = newHandoff();
      expect(await store.open(handoff, 30_000)).toBe('post');
      expect(await store.open(handoff, 30_000)).toBe('busy');
      await store.attachPost(handoff.requestId, {
        platform: 'slack',
        thread: `slack:C1:${handoff.key.user}`,
        ref: { channel: 'C1', ts: '1.1' },
      });
      expect(await store.open(handoff, 30_000)).toBe('posted');
      expect((await store.get(handoff.requestId))?.post?.ref).toEqual({ channel: 'C1', ts: '1.1' });
    });

    it('gives the right to post again once a claim is released or its lease has run out', async () => {
      const { store, pass } = await fixture();
      const handoff = newHandoff();
      expect(await store.open(handoff, 30_000)).toBe('post');
      await store.releaseClaim(handoff.requestId);
      expect(await store.open(handoff, 50)).toBe('post');
      await pass(80);
      expect(await store.open(handoff, 30_000)).toBe('post');
    });

    it("finds a hand-off by its thread and as its conversation's current one", async () => {
      const { store } = await fixture();
      const handoff = newHandoff();
      await store.open(handoff, 30_000);
      const thread = `slack:C1:${handoff.key.user}.9`;
      expect(await store.byThread(thread)).toBeUndefined();
      await store.attachPost(handoff.requestId, { platform: 'slack', thread, ref: {} });
      expect(await store.byThread(thread)).toMatchObject({
        requestId: handoff.requestId,
        state: 'open',
        key: handoff.key,
        card: handoff.card,
      });
      expect((await store.current(handoff.conversationId))?.requestId).toBe(handoff.requestId);
      const next = { ...handoff, requestId: `${handoff.conversationId}#9.0.def` };
      await store.open(next, 30_000);
      expect((await store.current(handoff.conversationId))?.requestId).toBe(next.requestId);
      expect(await store.current('slack:T1:nobody')).toBeUndefined();
    });

    it('makes exactly one agent the owner when many take at once', async () => {
      const { store } = await fixture();
      const handoff = newHandoff();
      await store.open(handoff, 30_000);
      const agents = Array.from({ length: 12 }, (_, i) => ({
        platform: 'slack' as const,
        id: `UA${i}`,
        name: `Agent ${i}`,
      }));
      const results = await Promise.all(agents.map((agent) => store.take(handoff.requestId, agent)));
      const winners = results.filter((result) => result.outcome === 'taken');
      expect(winners).toHaveLength(1);
      const owner = (await store.get(handoff.requestId))!.owner!;
      expect(
        results
          .filter((result) => result.outcome === 'owned')
          .map((result) => (result as { owner: HandoffAgent }).owner),
      ).toEqual(Array(11).fill(owner));
    });

    it('releases a take only for its owner, and refuses takes once finished', async () => {
      const { store } = await fixture();
      const handoff = newHandoff();
      await store.open(handoff, 30_000);
      expect(await store.take(handoff.requestId, giulia)).toEqual({ outcome: 'taken' });
      await store.release(handoff.requestId, marco);
      expect((await store.get(handoff.requestId))?.owner).toEqual(giulia);
      await store.release(handoff.requestId, giulia);
      expect((await store.get(handoff.requestId))?.owner).toBeUndefined();
      await store.finish(handoff.requestId, 'resumed', { by: 'Giulia', step: 'tsid.connect' });
      expect(await store.take(handoff.requestId, marco)).toEqual({ outcome: 'finished' });
      expect(await store.get(handoff.requestId)).toMatchObject({
        state: 'resumed',
        outcome: { by: 'Giulia', step: 'tsid.connect' },
      });
      expect(await store.take('slack:T1:nobody#1.0.x', marco)).toEqual({ outcome: 'missing' });
    });
  });
}
