import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTsidFlow, defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import { Browser } from './browser.js';
import { newKey, startLoginHarness, type LoginHarness } from './login-harness.js';

// The login step of the real guide, driven over HTTP against the real identity provider.
let h: LoginHarness;

beforeAll(async () => {
  h = await startLoginHarness({
    flow: createTsidFlow({ ...defaultFlowSettings, loginEnabled: true }),
    toVerify: [{ type: 'session.start' }, { type: 'session.start', step: 'tsid.verify' }],
  });
});
afterAll(() => h.close());

const contextOf = async (key: ReturnType<typeof newKey>) =>
  ((await h.engine.load(key))!.snapshot as { context: Record<string, unknown> }).context;

describe("the guide's tsid.verify step with a real login", () => {
  it('signs in, binds only once the code of the browser page is typed in the chat, and names the full e-mail there', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    expect(h.delivered.at(-1)!.message).toMatchObject({
      step: 'tsid.verify',
      links: [{ label: 'Sign in with your TS ID', url: link }],
    });

    const visit = await new Browser().follow(link);
    expect(visit.response!.status).toBe(200);
    expect(visit.body).not.toContain('alice');
    expect(h.textsFor(key).at(-1)).toContain('6-digit code');
    expect((await contextOf(key)).inviteEmail).toBeUndefined(); // not before the code is typed

    const code = /<strong>(\d{6})<\/strong>/.exec(visit.body!)![1];
    await h.engine.handle({ key, event: { type: 'user.text', text: code } });
    expect(h.textsFor(key)).toContainEqual(expect.stringContaining('You signed in as alice@example.test'));
    expect((await h.engine.status(key))?.step).toBe('invoice.open-settings');
    expect(await contextOf(key)).toMatchObject({
      inviteEmail: 'alice@example.test',
      identity: { issuer: h.idp.issuer, subject: 'alice', email: 'alice@example.test', emailVerified: true },
    });
  });

  it('tells the customer clearly when the identity provider is down, and offers a way on', async () => {
    const key = newKey();
    const browser = new Browser();
    const toCallback = await browser.follow(await h.newLoginLink(key), (url) => url.href.startsWith(h.callbackUrl));
    await h.idp.stop(); // down between the sign-in and the token request
    try {
      expect((await browser.follow(toCallback.next!.href)).response!.status).toBe(503);
    } finally {
      await h.idp.start();
    }
    const last = h.delivered.at(-1)!.message;
    expect(last).toMatchObject({ step: 'tsid.verify' });
    expect(last.kind === 'prompt' && last.choices?.map((c) => c.id.split('@')[0])).toEqual(['new-link', 'type-email']);
    expect(h.textsFor(key).at(-1)).toMatch(/TS ID/);
  });
});
