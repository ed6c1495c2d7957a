import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createWebChat, type WebChat } from '../../adapters/local/web-chat.js';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConversationEngine } from '../../src/engine/index.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { closeServer, createHttpApp, listen } from '../../src/app/server.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { WebBrowser, type ChatEntryJson } from './web-browser.js';
import { SwitchableStore } from '../support/switchable-store.js';

const quiet = () => createLogger('warn', new Writable({ write: (_chunk, _encoding, done) => done() }));
const HOSTILE = '<img src=x onerror=alert(1)>';

describe('web chat on the engine (memory store, simulated time)', () => {
  const clock = new ManualClock();
  const store = new SwitchableStore(() => clock.now());
  const scheduler = new MemoryReminderScheduler();
  let webChat: WebChat;
  let server: Server;
  let base: string;
  let reminders: ReminderRunner;

  beforeAll(async () => {
    let engine: ConversationEngine | undefined = undefined;
    webChat = createWebChat({
      turns: { handle: (inbound) => engine!.handle(inbound), status: (key) => engine!.status(key) },
    });
    engine = new ConversationEngine({ flow: createTsidFlow(), store, scheduler, clock, deliver: webChat.deliver });
    reminders = new ReminderRunner({ engine, scheduler, clock });
    const app = createHttpApp({ readiness: async () => undefined });
    webChat.mount(app);
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => closeServer(server));

  it('serves the page with a strict CSP, a session cookie and no external URL', async () => {
    const browser = new WebBrowser(base);
    const response = await browser.fetch('/');
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(browser.sessionCookie).toMatch(/^tsid_web_chat=[A-Za-z0-9_-]{24}$/);
    expect(response.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(response.headers.getSetCookie()[0]).toMatch(/SameSite=Strict/i);
    expect(page.match(/https?:\/\/[^\s'"]*/g)).toBeNull();
    expect(page).not.toMatch(/\bsrc=|<link/);
  });

  it('the script in the page matches the CSP hash, and uses no HTML-parsing sink (innerHTML, document.write, eval...)', async () => {
    const response = await fetch(`${base}/`);
    const page = await response.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(page)![1];
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(response.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`);
    expect(page).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect(script).toContain('textContent');
    expect(script).toContain("rel = 'noopener noreferrer'");
    expect(script).toMatch(/window\.confirm\(/);
  });

  it('walks the guide with text and clicks, links included', async () => {
    const browser = new WebBrowser(base, 'walk');
    await browser.fetch('/');
    expect((await browser.post({ start: true, locale: 'it' })).status).toBe(200);
    let seen = await browser.poll();
    expect(seen.map((entry) => entry.text)).toEqual([expect.stringContaining('Hai già un TS ID?')]);
    expect(seen[0].choices!.map((choice) => choice.label)).toEqual(['Sì', 'No', 'Non lo so']);
    expect((await browser.click('Sì', seen)).json).toMatchObject({ status: 'done', step: 'tsid.admin' });
    seen = await browser.poll();
    expect(seen[0]).toMatchObject({ from: 'you', text: 'Sì' });
    expect(seen[1]).toMatchObject({
      from: 'bot',
      step: 'tsid.admin',
      text: expect.stringContaining('Sei un amministratore'),
    });
    await browser.say('sì');
    seen = await browser.poll();
    expect(seen[0]).toMatchObject({ from: 'you', text: 'sì' });
    expect(seen[1].text).toContain('Accedi al portale');
    expect(seen[1].links).toEqual([{ label: 'Portale Cassa in Cloud', url: 'https://app.cassanova.com' }]);
  });

  it('a retried post (same message id) runs one turn and shows one line', async () => {
    const browser = new WebBrowser(base, 'retry');
    await browser.post({ start: true });
    await browser.poll();
    const first = await browser.post({ id: 'same-message-id', text: 'boh' });
    const again = await browser.post({ id: 'same-message-id', text: 'boh' });
    expect(first.json.status).toBe('done');
    expect(again.json.status).toBe('duplicate');
    expect((await browser.poll()).filter((entry) => entry.from === 'you')).toHaveLength(1);
  });

  it('shows a reminder once its time has come, and the hand-off in the helpdesk panel', async () => {
    const browser = new WebBrowser(base, 'reminder');
    await browser.post({ start: true });
    await browser.say('operatore');
    const seen = await browser.poll();
    expect(seen.find((entry) => entry.from === 'helpdesk')?.text).toContain(
      'Hand-off requested (customer-asked) at tsid.intro',
    );
    expect(seen.at(-1)?.text).toContain("Ho chiesto a un collega dell'assistenza");
    clock.advance(14 * 60_000);
    await reminders.runDue();
    expect(await browser.poll()).toEqual([]);
    clock.advance(60_000);
    expect(await reminders.runDue()).toBeGreaterThan(0);
    const later = await browser.poll();
    expect(later.map((entry) => entry.text)).toContainEqual(
      expect.stringContaining('Al momento nessun operatore è libero'),
    );
  });

  it('plays the agent with local commands: the agent line is marked as from the agent', async () => {
    const browser = new WebBrowser(base, 'agent');
    await browser.post({ start: true });
    await browser.say('operatore');
    await browser.poll();
    expect((await browser.say('/agent take Giulia')).status).toBe(200);
    expect((await browser.say('/agent say Giulia: ciao')).status).toBe(200);
    const seen = await browser.poll();
    expect(seen.filter((entry) => entry.from === 'command').map((entry) => entry.text)).toEqual([
      '/agent take Giulia',
      '/agent say Giulia: ciao',
    ]);
    expect(seen).toContainEqual(
      expect.objectContaining({ from: 'bot', text: expect.stringContaining("Giulia dell'assistenza è con te ora") }),
    );
    expect(seen).toContainEqual(expect.objectContaining({ from: 'agent', agentName: 'Giulia', text: 'ciao' }));
    await browser.say('grazie');
    expect(await browser.poll()).toContainEqual(
      expect.objectContaining({ from: 'helpdesk', text: 'Customer: grazie' }),
    );
    const unknown = await browser.say('/agent dance');
    expect(unknown.status).toBe(400);
    expect(unknown.json.text).toContain('/agent take NAME');
  });

  it('hostile text comes back as plain JSON text, whoever writes it', async () => {
    const browser = new WebBrowser(base, 'hostile');
    await browser.post({ start: true });
    await browser.say('operatore');
    await browser.say('/agent take Eve');
    await browser.say(HOSTILE);
    await browser.say(`/agent say Eve: ${HOSTILE}`);
    const response = await browser.fetch('/local/chat/messages?after=0');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await response.json()) as { messages: ChatEntryJson[] };
    expect(body.messages).toContainEqual(expect.objectContaining({ from: 'you', text: HOSTILE }));
    expect(body.messages).toContainEqual(expect.objectContaining({ from: 'agent', text: HOSTILE }));
    expect(body.messages).toContainEqual(expect.objectContaining({ from: 'helpdesk', text: `Customer: ${HOSTILE}` }));
  });

  it("keeps sessions apart: one browser never sees another's lines", async () => {
    const anna = new WebBrowser(base, 'anna');
    const bruno = new WebBrowser(base, 'bruno');
    await anna.post({ start: true });
    await anna.say('Pizzeria di Anna');
    await bruno.post({ start: true, locale: 'en' });
    const annaSees = await anna.poll();
    const brunoSees = await bruno.poll();
    expect(annaSees.map((entry) => entry.text)).toContain('Pizzeria di Anna');
    expect(JSON.stringify(brunoSees)).not.toContain('Anna');
    expect(brunoSees[0].text).toContain('Do you already have a TS ID?');
    expect(anna.sessionCookie).not.toBe(bruno.sessionCookie);
    const stranger = await fetch(`${base}/local/chat/messages?after=0`);
    expect(await stranger.json()).toEqual({ messages: [], last: 0 });
  });

  it('answers bad input with 400/415 and a reason', async () => {
    const browser = new WebBrowser(base, 'bad');
    for (const body of [
      {},
      { text: '' },
      { text: 'a', choiceId: 'b' },
      { start: 'yes' },
      { text: 'x'.repeat(2001) },
      { text: 'ok', locale: 'fr' },
      { choiceId: 42 },
    ]) {
      const answer = await browser.post(body);
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe('tsid_request_invalid');
    }
    expect((await browser.post({ id: 'bad id!', text: 'x' })).status).toBe(400);
    const notJson = await browser.fetch('/local/chat', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'ciao',
    });
    expect(notJson.status).toBe(415);
    const broken = await browser.fetch('/local/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({ error: 'tsid_request_invalid', text: 'body is not JSON' });
    expect((await browser.fetch('/local/chat/messages?after=-1')).status).toBe(400);
  });

  it('answers 503 with the "try again" sentence while the store is down', async () => {
    const browser = new WebBrowser(base, 'down');
    store.down = true;
    try {
      const it = await browser.post({ text: 'ciao', locale: 'it' });
      expect(it.status).toBe(503);
      expect(it.json).toEqual({
        error: 'tsid_store_unavailable',
        text: expect.stringContaining('Riprova tra un minuto'),
      });
      const en = await browser.post({ text: 'hello', locale: 'en' });
      expect(en.json.text).toContain('Please try again in a minute');
    } finally {
      store.down = false;
    }
    expect((await browser.post({ text: 'ciao' })).status).toBe(200);
  });
});

describe('web chat in the composed bot', () => {
  it('is mounted when nothing is configured, and routes both audiences to the page', async () => {
    const bot = await startBot(loadConfig({ PORT: '0' }), { logger: quiet(), host: '127.0.0.1' });
    try {
      const browser = new WebBrowser(`http://127.0.0.1:${(bot.server.address() as { port: number }).port}`, 'composed');
      const page = await browser.fetch('/');
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      await browser.post({ start: true });
      await browser.say('operatore');
      const seen = await browser.poll();
      expect(seen.find((entry) => entry.from === 'helpdesk')?.text).toContain('Hand-off requested (customer-asked)');
      await browser.say('/agent take Giulia');
      await browser.say('/agent say Giulia: ciao');
      expect(await browser.poll()).toContainEqual(
        expect.objectContaining({ from: 'agent', agentName: 'Giulia', text: 'ciao' }),
      );
    } finally {
      await bot.stop();
    }
  });

  it.each([
    [
      'Slack',
      (slackApi: string) => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slackApi }),
    ],
    ['Teams', () => ({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'pw' })],
  ])('is not mounted when %s is configured', async (_name, env) => {
    const fake = await FakeSlackApi.start();
    const bot = await startBot(loadConfig({ PORT: '0', ...env(fake.apiUrl) }), {
      logger: quiet(),
      host: '127.0.0.1',
    }).catch(async (error) => {
      await fake.close();
      throw error;
    });
    try {
      const base = `http://127.0.0.1:${(bot.server.address() as { port: number }).port}`;
      expect((await fetch(`${base}/`)).status).toBe(404);
      expect((await fetch(`${base}/local/chat/messages?after=0`)).status).toBe(404);
    } finally {
      await bot.stop();
      await fake.close();
    }
  });

  it('LOCAL_WEB_CHAT=on mounts it anyway, and a bad value is a configuration error', async () => {
    const config = loadConfig({
      PORT: '0',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'pw',
      LOCAL_WEB_CHAT: 'on',
    });
    expect(config.localWebChat).toBe(true);
    expect(loadConfig({ LOCAL_WEB_CHAT: 'off' }).localWebChat).toBe(false);
    expect(() => loadConfig({ LOCAL_WEB_CHAT: 'yes' })).toThrow(/LOCAL_WEB_CHAT must be on or off: yes/);
    const bot = await startBot(config, { logger: quiet(), host: '127.0.0.1' });
    try {
      expect((await fetch(`http://127.0.0.1:${(bot.server.address() as { port: number }).port}/`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });
});
