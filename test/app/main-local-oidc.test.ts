import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot } from '../../src/app/main.js';
import { Browser } from '../auth/browser.js';
import { WebBrowser, type ChatEntryJson } from '../local/web-browser.js';
import { freePort } from '../support/free-port.js';
import { startTestIdp, type TestIdp } from '../support/oidc-provider.js';

// The npm start code path (loadConfig from an environment, startBot) with a local identity
// provider on http://127.0.0.1: the customer signs in from the web chat.
let idp: TestIdp;
let bot: RunningBot;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await startTestIdp({ redirectUri: `${base}/auth/callback` });
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_BASE_URL: base,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
  });
  const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) });
  bot = await startBot(config, { logger: createLogger('info', sink), host: '127.0.0.1' });
});
afterAll(async () => {
  await bot?.stop();
  await idp?.close();
});

describe('a local identity provider on http://127.0.0.1', () => {
  it('is accepted with a warning at start-up', () => {
    const warnings = logLines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toContainEqual(expect.stringMatching(/http:\/\/ identity provider/));
  });

  it('signs the web chat customer in through the composed bot: the code of the page, typed in the chat, binds; the chat names the e-mail, the log has the audit line without it', async () => {
    const chat = new WebBrowser(base, 'local-idp');
    await chat.fetch('/');
    await chat.post({ start: true, locale: 'en' });
    let seen: ChatEntryJson[] = await chat.poll();
    for (let turn = 0; turn < 12 && seen.at(-1)?.step !== 'tsid.verify'; turn++) {
      // Part A's first answers (yes, yes, done, ...) lead an existing TS ID holder to tsid.verify.
      await chat.click(seen.at(-1)!.choices![0].label, seen);
      seen = await chat.poll();
    }
    const verify = seen.at(-1)!;
    expect(verify.step).toBe('tsid.verify');
    const link = verify.links!.at(-1)!.url;
    expect(link.startsWith(`${base}/auth/login/`)).toBe(true);

    const visit = await new Browser().follow(link);
    expect(visit.response!.status).toBe(200);
    expect(visit.body).toContain('nella chat di prova'); // the chat the code is for
    expect((await chat.poll()).map((entry) => entry.text).join('\n')).toContain('6-digit code');
    await chat.say(/<strong>(\d{6})<\/strong>/.exec(visit.body!)![1]);
    expect((await chat.poll()).map((entry) => entry.text).join('\n')).toContain('You signed in as alice@example.test');
    const audit = logLines
      .map((line) => JSON.parse(line) as { msg: string; codeConfirmed?: boolean; subject?: string })
      .find((line) => line.msg === 'audit: identity bound');
    expect(audit).toMatchObject({ event: 'identity.bound', codeConfirmed: true, subject: expect.any(String) });
    expect(logLines.join('')).not.toContain('alice@example.test');
  });
});
