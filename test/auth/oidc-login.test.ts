import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LOGIN_LINK_TTL_MS, MemoryLoginLinkStore, type PendingLogin } from '../../src/auth/index.js';
import { Browser } from './browser.js';
import { newKey, startLoginHarness, type LoginHarness } from './login-harness.js';

/** Stores what it is given, except that it can forget the nonce that was really sent. */
class NonceTamperingStore extends MemoryLoginLinkStore {
  tamper = false;

  override savePending(state: string, pending: PendingLogin, ttlMs: number): Promise<void> {
    return super.savePending(
      state,
      this.tamper ? { ...pending, nonce: 'not-the-nonce-that-was-sent' } : pending,
      ttlMs,
    );
  }
}

let h: LoginHarness;
let store: NonceTamperingStore;
const isCallback = (url: URL) => url.href.startsWith(h.callbackUrl);

beforeAll(async () => {
  h = await startLoginHarness({
    linkStore: (clock) => (store = new NonceTamperingStore(() => clock.now())),
  });
});
afterAll(() => h.close());

/** Counts the token requests the identity provider receives while `run` runs. */
async function tokenRequestsDuring(run: () => Promise<void>): Promise<number> {
  const before = h.idp.tokenRequests;
  await run();
  return h.idp.tokenRequests - before;
}

async function stepOf(key: ReturnType<typeof newKey>) {
  return (await h.engine.status(key))?.step;
}

describe('a login link, end to end against a real OpenID provider', () => {
  it('signs the customer in: the conversation gets auth.completed and moves on with the e-mail known', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    expect(link).toMatch(new RegExp(`^${h.base}/auth/login/[A-Za-z0-9_-]{32}$`));
    let visit!: Awaited<ReturnType<Browser['follow']>>;
    const tokenRequests = await tokenRequestsDuring(async () => {
      visit = await new Browser().follow(link);
    });

    expect(visit.response!.status).toBe(200);
    expect(visit.body).toContain('Scrivi questo codice nella chat');
    expect(visit.body).toMatch(/<strong>\d{6}<\/strong>/);
    expect(visit.response!.headers.get('cache-control')).toBe('no-store');
    expect(tokenRequests).toBe(1);
    const authorize = new URL(visit.hops[1]);
    expect(authorize.origin).toBe(h.idp.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: h.idp.clientId,
      redirect_uri: h.callbackUrl,
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    for (const param of ['state', 'nonce', 'code_challenge'])
      expect(authorize.searchParams.get(param)).toMatch(/^[\w-]{43}$/);

    expect(await stepOf(key)).toBe('invoice.open-settings');
    const context = ((await h.engine.load(key))!.snapshot as { context: object }).context;
    expect(context).toEqual({ email: 'alice@example.test', emailVerified: true, subject: 'alice' });
    expect(h.textsFor(key).at(-1)).toBe('Signed in.');
  });

  it('passes an unverified e-mail on as unverified', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    h.idp.signInAs = 'bob';
    try {
      expect((await new Browser().follow(link)).response!.status).toBe(200);
    } finally {
      h.idp.signInAs = 'alice';
    }
    const context = ((await h.engine.load(key))!.snapshot as { context: object }).context;
    expect(context).toMatchObject({ email: 'bob@example.test', emailVerified: false });
  });

  it('rejects a replayed callback without a second token request', async () => {
    const key = newKey();
    const browser = new Browser();
    const tokenRequests = await tokenRequestsDuring(async () => {
      const toCallback = await browser.follow(await h.newLoginLink(key), isCallback);
      expect((await browser.follow(toCallback.next!.href)).response!.status).toBe(200);
      const replay = await browser.follow(toCallback.next!.href);
      expect(replay.hops).toHaveLength(1);
      expect(replay.response!.status).toBe(400);
      expect(replay.body).toContain('Sign-in failed');
      expect(replay.response!.headers.get('cache-control')).toBe('no-store');
    });
    expect(tokenRequests).toBe(1);
    expect(h.textsFor(key).filter((text) => text === 'Signed in.')).toHaveLength(1);
  });

  it('shows the expired page, without a redirect, for a link used after 10 minutes', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    h.clock.advance(LOGIN_LINK_TTL_MS);
    const tokenRequests = await tokenRequestsDuring(async () => {
      const response = await new Browser().get(link);
      expect(response.status).toBe(410);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toContain('Link scaduto');
    });
    expect(tokenRequests).toBe(0);
    expect(await stepOf(key)).toBe('tsid.verify');
  });

  it('refuses a sign-in that comes back after the link expired, without a token request', async () => {
    const key = newKey();
    const browser = new Browser();
    const link = await h.newLoginLink(key);
    h.clock.advance(LOGIN_LINK_TTL_MS - 60_000);
    const toCallback = await browser.follow(link, isCallback);
    h.clock.advance(60_000);
    const tokenRequests = await tokenRequestsDuring(async () => {
      const late = await browser.follow(toCallback.next!.href);
      expect(late.response!.status).toBe(410);
      expect(late.body).toContain('This link has expired');
    });
    expect(tokenRequests).toBe(0);
    expect(await stepOf(key)).toBe('tsid.verify');
  });

  it('rejects a tampered state without a token request; the genuine callback still works', async () => {
    const key = newKey();
    const browser = new Browser();
    const toCallback = await browser.follow(await h.newLoginLink(key), isCallback);
    const state = toCallback.next!.searchParams.get('state')!;
    const tampered = new URL(toCallback.next!);
    tampered.searchParams.set('state', (state[0] === 'A' ? 'B' : 'A') + state.slice(1));
    const rejected = await tokenRequestsDuring(async () => {
      const visit = await browser.follow(tampered.href);
      expect(visit.response!.status).toBe(400);
      expect(visit.response!.headers.get('location')).toBeNull();
    });
    expect(rejected).toBe(0);
    expect(await stepOf(key)).toBe('tsid.verify');
    expect((await browser.follow(toCallback.next!.href)).response!.status).toBe(200);
    expect(await stepOf(key)).toBe('invoice.open-settings');
  });

  it('rejects a state carried to another browser (foreign state) without a token request', async () => {
    const key = newKey();
    const started = await new Browser().get(await h.newLoginLink(key));
    expect(started.status).toBe(303);
    const other = new Browser();
    const tokenRequests = await tokenRequestsDuring(async () => {
      const toCallback = await other.follow(started.headers.get('location')!, isCallback);
      const visit = await other.follow(toCallback.next!.href);
      expect(visit.response!.status).toBe(400);
      expect(visit.body).toContain('Accesso non riuscito');
    });
    expect(tokenRequests).toBe(0);
    expect(await stepOf(key)).toBe('tsid.verify');
  });

  it('rejects an ID token with the wrong nonce, tells the chat, and keeps the link usable', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    store.tamper = true;
    try {
      const visit = await new Browser().follow(link);
      expect(visit.response!.status).toBe(400);
      expect(visit.body).toContain('Sign-in failed');
    } finally {
      store.tamper = false;
    }
    expect(await stepOf(key)).toBe('tsid.verify');
    expect(h.textsFor(key).at(-1)).toBe('The sign-in did not work.');
    expect(h.logs.some((line) => line.includes('OAUTH_JWT_CLAIM_COMPARISON'))).toBe(true);
    expect((await new Browser().follow(link)).response!.status).toBe(200);
    expect(await stepOf(key)).toBe('invoice.open-settings');
  });

  it('survives a link preview: a preview GET uses nothing up, and only the first sign-in to finish counts', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    const preview = new Browser();
    const previewed = await preview.get(link);
    expect(previewed.status).toBe(303);
    await previewed.arrayBuffer();

    const tokenRequests = await tokenRequestsDuring(async () => {
      const visit = await new Browser().follow(link);
      expect(visit.response!.status).toBe(200);
      // The preview's sign-in, had it gone on, finds the link used: no token request.
      const late = await preview.follow(previewed.headers.get('location')!);
      expect(late.response!.status).toBe(409);
      expect(late.body).toContain('Link già usato');
      expect(late.response!.headers.get('cache-control')).toBe('no-store');
    });
    expect(tokenRequests).toBe(1);
    expect(await stepOf(key)).toBe('invoice.open-settings');
    expect((await new Browser().get(link)).status).toBe(409);
  });

  it('sends the sign-in to the conversation the link was made for, and to no other', async () => {
    const [mine, other] = [newKey(), newKey()];
    await h.newLoginLink(mine);
    const otherLink = await h.newLoginLink(other);
    expect((await new Browser().follow(otherLink)).response!.status).toBe(200);
    expect(await stepOf(other)).toBe('invoice.open-settings');
    expect(await stepOf(mine)).toBe('tsid.verify');
    expect(h.textsFor(mine)).toEqual(['Sign in with your TS ID.']);
  });

  it('never logs an e-mail address, a token, a state, a code or a link id, through a sign-in and a replayed callback', async () => {
    const logsBefore = h.logs.length;
    const key = newKey();
    const link = await h.newLoginLink(key);
    const browser = new Browser();
    const toCallback = await browser.follow(link, isCallback);
    // All the way through the callback (where the e-mail and tokens arrive), then the same callback again.
    expect((await browser.follow(toCallback.next!.href)).response!.status).toBe(200);
    expect((await h.engine.load(key))!.snapshot).toMatchObject({ context: { email: 'alice@example.test' } });
    await browser.follow(toCallback.next!.href);
    const logged = h.logs.slice(logsBefore);
    const everything = logged.join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(everything).not.toMatch(/@example\.test/);
    expect(everything).not.toContain(link.split('/').at(-1)!);
    expect(everything).not.toContain(toCallback.next!.searchParams.get('state')!);
    expect(everything).not.toContain(toCallback.next!.searchParams.get('code')!);
    expect(everything).not.toMatch(/eyJ[\w-]+\./); // no JWT
  });
});
