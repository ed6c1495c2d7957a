import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConversationKey } from '../../src/engine/index.js';
import { RedisLoginLinkStore } from '../../src/auth/redis-login-link-store.js';
import type { LoginLinkStore } from '../../src/auth/index.js';
import type { ManualClock } from '../../src/scheduler/clock.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';
import { Browser } from './browser.js';
import { contextOf as contextOfIn, newKey, startTsidLoginHarness, type LoginHarness } from './login-harness.js';

// Only the current link counts, and a sign-in the customer finished always reaches the chat.
// The real guide's tsid.verify step, over HTTP, against the local identity provider, on both stores.
let h: LoginHarness;
const isCallback = (url: URL) => url.href.startsWith(h.callbackUrl);
const isProvider = (url: URL) => url.href.startsWith(h.idp.issuer);

let redis: RedisConnection;
const prefix = uniquePrefix('login-current');

beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

const stores: [string, ((clock: ManualClock) => LoginLinkStore) | undefined][] = [
  ['the memory store', undefined],
  ['Redis', () => new RedisLoginLinkStore(redis, { prefix })],
];

const contextOf = (key: ConversationKey) => contextOfIn(h, key);

/** Clicks the choice `id` of the last prompt (its stamped id, as a platform would send it). */
async function click(key: ConversationKey, id: string) {
  const last = h.delivered.findLast((d) => d.key.user === key.user && d.message.kind === 'prompt')!.message;
  const choice = last.kind === 'prompt' ? last.choices?.find((c) => c.id.split('@')[0] === id) : undefined;
  if (!choice) throw new Error(`no choice ${id} in the last prompt`);
  await h.engine.handle({ key, event: { type: 'user.choice', choiceId: choice.id } });
}

const lastLink = (key: ConversationKey) => {
  const last = h.delivered.findLast((d) => d.key.user === key.user && d.message.kind === 'prompt')!.message;
  return last.kind === 'prompt' ? last.links?.at(-1)?.url : undefined;
};

describe.each(stores)('on %s', (_, linkStore) => {
  beforeAll(async () => {
    h = await startTsidLoginHarness(linkStore);
  });
  afterAll(() => h.close());

  describe('only the current login link counts', () => {
    it('after [New link] the older link is refused with "use the newest", binds nothing and the new one works', async () => {
      const key = newKey();
      const older = await h.newLoginLink(key);
      await click(key, 'new-link');
      const newer = lastLink(key)!;
      expect(newer).not.toBe(older);

      const stale = await new Browser().follow(older);
      expect(stale.response!.status).toBe(410);
      expect(stale.body).toContain('Questo link non è più valido, usa il più recente nella chat.');
      expect(stale.hops).toHaveLength(1); // never sent to the provider
      expect((await contextOf(key)).pendingIdentity).toBeUndefined();

      expect((await new Browser().follow(newer)).response!.status).toBe(200);
      expect((await contextOf(key)).pendingIdentity).toMatchObject({ subject: 'alice' });
    });

    it('a sign-in started on a link that [New link] replaced meanwhile is refused at the callback and uses nothing up', async () => {
      const key = newKey();
      const older = await h.newLoginLink(key);
      const browser = new Browser();
      const toCallback = await browser.follow(older, isCallback); // signed in at the provider, not yet back
      await click(key, 'new-link');
      const back = await browser.follow(toCallback.next!.href);
      expect(back.response!.status).toBe(410);
      expect(back.body).toContain('Questo link non è più valido, usa il più recente nella chat.');
      expect((await contextOf(key)).pendingIdentity).toBeUndefined();
      expect((await h.engine.status(key))?.step).toBe('tsid.verify');
    });

    it('after leaving the sign-in (typing the e-mail instead) the link is refused and the conversation is left alone', async () => {
      const key = newKey();
      const link = await h.newLoginLink(key);
      await click(key, 'type-email');
      const before = h.textsFor(key).length;
      const visit = await new Browser().follow(link);
      expect(visit.response!.status).toBe(410);
      expect(visit.body).toContain('usa il più recente nella chat');
      expect(h.textsFor(key)).toHaveLength(before);
      expect((await contextOf(key)).pendingIdentity).toBeUndefined();
    });
  });

  describe('a sign-in the customer finished always reaches the chat', () => {
    it('after the "not answering" answer: a later sign-in on the same link is taken as if in time', async () => {
      const key = newKey();
      const link = await h.newLoginLink(key);
      const first = new Browser();
      const toCallback = await first.follow(link, isCallback);
      await h.idp.stop(); // down at the token request: the chat says so
      try {
        expect((await first.follow(toCallback.next!.href)).response!.status).toBe(503);
      } finally {
        await h.idp.start();
      }
      expect(h.delivered.at(-1)!.message).toMatchObject({ step: 'tsid.verify' });

      const again = await new Browser().follow(link);
      expect(again.response!.status).toBe(200);
      expect((await contextOf(key)).pendingIdentity).toMatchObject({ subject: 'alice' });
      expect(h.textsFor(key).at(-1)).not.toMatch(/not answering|non risponde/);
    });

    it('after a cancelled sign-in: retrying on the same link reaches the chat', async () => {
      const key = newKey();
      const link = await h.newLoginLink(key);
      const browser = new Browser();
      const atProvider = await browser.follow(link, isProvider); // the customer presses "cancel" there
      const state = atProvider.next!.searchParams.get('state')!;
      const cancelled = await browser.follow(`${h.callbackUrl}?error=access_denied&state=${state}&iss=${h.idp.issuer}`);
      expect(cancelled.response!.status).toBe(400);
      expect((await contextOf(key)).pendingIdentity).toBeUndefined();

      const retried = await browser.follow(link);
      expect(retried.response!.status).toBe(200);
      expect((await contextOf(key)).pendingIdentity).toMatchObject({ subject: 'alice' });
    });
  });
});
