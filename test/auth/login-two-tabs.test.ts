import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Browser } from './browser.js';
import { newKey, startLoginHarness, type LoginHarness } from './login-harness.js';

// One browser, two tabs on one link: the browser-binding cookie must reach the login route
// too (its Path), or the second open replaces the first tab's binding. The Browser sends a
// cookie only under its Path, as a real browser does.
let h: LoginHarness;
const isCallback = (url: URL) => url.href.startsWith(h.callbackUrl);

beforeAll(async () => {
  h = await startLoginHarness();
});
afterAll(() => h.close());

describe('two tabs of one browser', () => {
  it('the first tab to come back signs in although a second tab opened the link after it; the second then hears "already used"', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    const browser = new Browser();
    const first = await browser.follow(link, isCallback);
    const second = await browser.follow(link, isCallback);

    const back = await browser.follow(first.next!.href);
    expect(back.response!.status).toBe(200);
    expect(back.body).toMatch(/<strong>\d{6}<\/strong>/);
    expect((await h.engine.status(key))?.step).toBe('invoice.open-settings');

    const late = await browser.follow(second.next!.href);
    expect(late.response!.status).toBe(409);
    expect(late.body).toContain('Questo link è già stato usato');
  });
});
