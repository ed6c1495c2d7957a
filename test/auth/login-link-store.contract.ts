import { describe, expect, it } from '@jest/globals';
import { PENDING_PER_LINK, type LoginLink, type LoginLinkStore, type PendingLogin } from '../../src/auth/index.js';
import { randomToken } from '../../src/auth/tokens.js';

export interface ContractSubject {
  store: LoginLinkStore;
  /** Lets `ms` pass for the store's expiry (a manual clock, or real time for Redis). */
  pass(ms: number): Promise<void>;
}

const link = (user = 'U1'): LoginLink => ({
  key: { channel: 'teams', tenant: 'T1', user },
  createdAt: 1,
  expiresAt: 2,
});
const pending = (linkId: string): PendingLogin => ({ linkId, codeVerifier: 'v', nonce: 'n', browserBinding: 'b' });
const TEN_MINUTES = 600_000;

/** The behaviour every LoginLinkStore must have; run against each implementation. */
export function describeLoginLinkStoreContract(name: string, subject: () => Promise<ContractSubject>): void {
  describe(`LoginLinkStore contract: ${name}`, () => {
    it('finds a saved link as often as asked without using it up', async () => {
      const { store } = await subject();
      const id = randomToken(24);
      await store.saveLink(id, link(), TEN_MINUTES);
      expect(await store.findLink(id)).toEqual({ status: 'valid', link: link() });
      expect(await store.findLink(id)).toEqual({ status: 'valid', link: link() });
    });

    it('lets a link be used once; afterwards it is known as used', async () => {
      const { store } = await subject();
      const id = randomToken(24);
      await store.saveLink(id, link(), TEN_MINUTES);
      expect(await store.consumeLink(id, TEN_MINUTES)).toEqual(link());
      expect(await store.consumeLink(id, TEN_MINUTES)).toBeUndefined();
      expect(await store.findLink(id)).toEqual({ status: 'used' });
    });

    it('gives a link to exactly one of many concurrent consumers', async () => {
      const { store } = await subject();
      const id = randomToken(24);
      await store.saveLink(id, link(), TEN_MINUTES);
      const results = await Promise.all(Array.from({ length: 25 }, () => store.consumeLink(id, TEN_MINUTES)));
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    });

    it('knows nothing of a link never made, and consuming it marks nothing', async () => {
      const { store } = await subject();
      const id = randomToken(24);
      expect(await store.consumeLink(id, TEN_MINUTES)).toBeUndefined();
      expect(await store.findLink(id)).toEqual({ status: 'unknown' });
    });

    it('forgets a link, its used marker and a pending sign-in after their time to live', async () => {
      const { store, pass } = await subject();
      const [fresh, used, state] = [randomToken(24), randomToken(24), randomToken()];
      await store.saveLink(fresh, link('UF'), 50);
      await store.saveLink(used, link('UU'), TEN_MINUTES);
      await store.consumeLink(used, 50);
      await store.savePending(state, pending(fresh), 50);
      await pass(120);
      expect(await store.findLink(fresh)).toEqual({ status: 'unknown' });
      expect(await store.findLink(used)).toEqual({ status: 'unknown' });
      expect(await store.takePending(state)).toBeUndefined();
    });

    it('hands a pending sign-in out once', async () => {
      const { store } = await subject();
      const state = randomToken();
      await store.savePending(state, pending('L1'), TEN_MINUTES);
      const taken = await Promise.all([store.takePending(state), store.takePending(state), store.takePending(state)]);
      expect(taken.filter((p) => p !== undefined)).toEqual([pending('L1')]);
      expect(await store.takePending(state)).toBeUndefined();
    });

    it("a newer link of a conversation revokes its older one; another conversation's link is left alone", async () => {
      const { store } = await subject();
      const [older, newer, other] = [randomToken(24), randomToken(24), randomToken(24)];
      const user = `U${randomToken(6)}`;
      await store.saveLink(older, link(user), TEN_MINUTES);
      await store.saveLink(other, link(`${user}-other`), TEN_MINUTES);
      await store.saveLink(newer, link(user), TEN_MINUTES);
      expect(await store.findLink(older)).toEqual({ status: 'revoked' });
      expect(await store.consumeLink(older, TEN_MINUTES)).toBeUndefined();
      expect(await store.findLink(newer)).toEqual({ status: 'valid', link: link(user) });
      expect(await store.findLink(other)).toEqual({ status: 'valid', link: link(`${user}-other`) });
    });

    it('keeps only the newest few pending sign-ins of a link', async () => {
      const { store } = await subject();
      const [linkId, elsewhere] = [randomToken(24), randomToken(24)];
      const states = Array.from({ length: PENDING_PER_LINK + 2 }, () => randomToken());
      const kept = randomToken();
      await store.savePending(kept, pending(elsewhere), TEN_MINUTES);
      for (const state of states) await store.savePending(state, pending(linkId), TEN_MINUTES);
      const taken = await Promise.all(states.map((state) => store.takePending(state)));
      expect(taken.map((p) => p !== undefined)).toEqual(states.map((_, i) => i >= 2));
      expect(await store.takePending(kept)).toEqual(pending(elsewhere));
    });

    it('keeps links apart', async () => {
      const { store } = await subject();
      const [a, b] = [randomToken(24), randomToken(24)];
      await store.saveLink(a, link('UA'), TEN_MINUTES);
      await store.saveLink(b, link('UB'), TEN_MINUTES);
      expect(await store.consumeLink(a, TEN_MINUTES)).toEqual(link('UA'));
      expect(await store.findLink(b)).toEqual({ status: 'valid', link: link('UB') });
    });
  });
}
