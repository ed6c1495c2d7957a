import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browser } from './browser.js';
import { newKey, startLoginHarness, type LoginHarness } from './login-harness.js';

let h: LoginHarness;
const isCallback = (url: URL) => url.href.startsWith(h.callbackUrl);

beforeAll(async () => {
  h = await startLoginHarness();
});
afterAll(() => h.close());

async function stepOf(key: ReturnType<typeof newKey>) {
  return (await h.engine.status(key))?.step;
}

describe('a login link when the identity provider is down', () => {
  it('down before any discovery: a clear page, nothing in the chat (a preview may have opened it), and it works once the provider is back', async () => {
    const fresh = await startLoginHarness();
    try {
      const key = newKey();
      const link = await fresh.newLoginLink(key); // making a link needs no provider
      await fresh.idp.stop();
      const response = await new Browser().get(link);
      expect(response.status).toBe(503);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toContain('The TeamSystem ID service is not answering right now');
      expect(fresh.textsFor(key).at(-1)).toBe('Sign in with your TS ID.');
      expect(await fresh.engine.status(key)).toMatchObject({ step: 'tsid.verify' });

      await fresh.idp.start(); // discovery is retried on the next use of the link
      expect((await new Browser().follow(link)).response!.status).toBe(200);
      expect(await fresh.engine.status(key)).toMatchObject({ step: 'invoice.open-settings' });
    } finally {
      await fresh.close();
    }
  });

  it('down at the token request: a clear page and chat message; the link stays usable', async () => {
    const key = newKey();
    const browser = new Browser();
    const link = await h.newLoginLink(key);
    const toCallback = await browser.follow(link, isCallback);
    await h.idp.stop();
    try {
      const visit = await browser.follow(toCallback.next!.href);
      expect(visit.response!.status).toBe(503);
      expect(visit.body).toContain('Il servizio TeamSystem ID non risponde');
      expect(visit.response!.headers.get('cache-control')).toBe('no-store');
    } finally {
      await h.idp.start();
    }
    expect(h.textsFor(key).at(-1)).toBe('TS ID is not answering right now.');
    expect(await stepOf(key)).toBe('tsid.verify');
    expect((await browser.follow(link)).response!.status).toBe(200);
    expect(await stepOf(key)).toBe('invoice.open-settings');
  });
});

describe('login routes and bad input', () => {
  it('has no open redirect: extra parameters never choose where the browser goes', async () => {
    const link = await h.newLoginLink();
    const evil = 'https://evil.example/';
    const start = await new Browser().get(
      `${link}?redirect_uri=${encodeURIComponent(evil)}&next=${encodeURIComponent(evil)}`,
    );
    expect(start.status).toBe(303);
    const location = new URL(start.headers.get('location')!);
    expect(location.origin).toBe(h.idp.issuer);
    expect(location.searchParams.get('redirect_uri')).toBe(h.callbackUrl);
    expect(location.href).not.toContain('evil');

    for (const path of [
      `/auth/callback?state=x&next=${encodeURIComponent(evil)}&redirect_uri=${encodeURIComponent(evil)}`,
      `/auth/login/${encodeURIComponent(evil)}`,
      '/auth/login/..%2F..%2Fevil.example',
    ]) {
      const response = await new Browser().get(h.base + path);
      expect(response.headers.get('location')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).not.toContain('evil');
    }
  });

  it('answers malformed callbacks with the failed page and no token request', async () => {
    const before = h.idp.tokenRequests;
    const browser = new Browser();
    const toCallback = await browser.follow(await h.newLoginLink(), isCallback);
    const state = toCallback.next!.searchParams.get('state')!;
    for (const query of [
      '',
      '?code=abc',
      `?state=${state}&state=${state}&code=abc`,
      '?state=%00%ff&code=abc',
      `?state=${'x'.repeat(5000)}`,
    ]) {
      const response = await browser.get(`${h.callbackUrl}${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      await response.arrayBuffer();
    }
    expect(h.idp.tokenRequests).toBe(before);
  });

  it('treats an unknown or malformed link id as expired, without a redirect', async () => {
    for (const id of ['A'.repeat(32), 'short', 'A'.repeat(200)]) {
      const response = await new Browser().get(`${h.base}/auth/login/${id}`);
      expect(response.status).toBe(410);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain('Link scaduto');
    }
  });

  it('sets a browser-binding cookie limited to the /auth/ routes, and sends no referrer to the provider', async () => {
    const response = await new Browser().get(await h.newLoginLink());
    expect(response.status).toBe(303);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('tsid_login='))!;
    expect(cookie).toMatch(/; Path=\/auth\/;/); // the login route sees it too: two tabs share one binding
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });
});
