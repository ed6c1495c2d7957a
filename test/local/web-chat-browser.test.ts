import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import type { Page } from 'puppeteer-core';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';
import { closeServer } from '../../src/app/server.js';
import { launchChromium } from '../support/chromium.js';

jest.setTimeout(60_000);

// The functions passed to page.evaluate run in the page; the project's types have no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const navigator: any;
type HTMLElement = any;

const quiet = () => createLogger('warn', new Writable({ write: (_chunk, _encoding, done) => done() }));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The composed bot in local mode (no Slack, no Teams), with a loopback "portal" for its links. */
let bot: Awaited<ReturnType<typeof startBot>>;
let portal: Server;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let base: string;

beforeAll(async () => {
  portal = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Portale</title><h1>Cassa in Cloud</h1>'),
  );
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  const portalUrl = `http://127.0.0.1:${(portal.address() as { port: number }).port}/login`;
  bot = await startBot(loadConfig({ PORT: '0', HANDOFF_TIMEOUT: '1s', CASSA_IN_CLOUD_URL: portalUrl }), {
    logger: quiet(),
    host: '127.0.0.1',
  });
  base = `http://127.0.0.1:${(bot.server.address() as { port: number }).port}`;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await bot?.stop();
  if (portal) await closeServer(portal);
});

/** A fresh browser session (its own cookie, so its own conversation) on the web chat. */
async function openChat(width = 1000, height = 760): Promise<{ page: Page; done: () => Promise<void> }> {
  const context = await chromium.browser.createBrowserContext();
  const page = await context.newPage();
  // The page speaks the browser's language: an Italian customer's browser.
  await page.evaluateOnNewDocument(() => Object.defineProperty(navigator, 'language', { get: () => 'it-IT' }));
  await page.setViewport({ width, height });
  await page.goto(`${base}/`);
  await waitForText(page, 'Hai già un TS ID?');
  return { page, done: () => context.close() };
}

/** Runs `use` on a fresh chat page, closing its session afterwards. */
async function withChat(use: (page: Page) => Promise<void>, width?: number, height?: number): Promise<void> {
  const { page, done } = await openChat(width, height);
  try {
    await use(page);
  } finally {
    await done();
  }
}

async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => document.getElementById('log')!.innerText.includes(wanted),
    { timeout: 10_000 },
    text,
  );
}

/** Clicks the newest button with this label, as a customer answering the latest question. */
async function click(page: Page, label: string): Promise<void> {
  const buttons = await page.$$('#log button');
  const labels = await Promise.all(buttons.map((b) => b.evaluate((node) => node.textContent)));
  const index = labels.lastIndexOf(label);
  if (index < 0) throw new Error(`no button "${label}" (have: ${labels.join(', ')})`);
  await buttons[index].click();
}

/** Clicks each label in turn, waiting each time for the answer's text. */
async function clickThrough(page: Page, steps: [label: string, next: string][]): Promise<void> {
  for (const [label, next] of steps) {
    await click(page, label);
    await waitForText(page, next);
  }
}

async function type(page: Page, text: string): Promise<void> {
  await page.type('#text', text);
  await page.keyboard.press('Enter');
}

describe('the web chat in headless Chromium', () => {
  it('walks the guide by clicking, follows a link, and asks before unlinking (the confirm dialog)', () =>
    withChat(async (page) => {
      await clickThrough(page, [
        ['Sì', 'Sei un amministratore'],
        ['Sì', 'Accedi al portale di Cassa in Cloud'],
      ]);
      // The link opens the portal in a new tab.
      const opened = new Promise<Page | null>((resolve) =>
        page.browserContext().once('targetcreated', (target) => resolve(target.page())),
      );
      await page.click('#log a.link');
      const portalTab = (await opened)!;
      await portalTab.waitForFunction(() => document.title === 'Portale');
      expect(portalTab.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login$/);
      await portalTab.close();
      await clickThrough(page, [
        ['Fatto', 'Apri la sezione "TeamSystem ID"'],
        ['Fatto', 'Seleziona "Connetti Team System ID"'],
        ['Fatto', 'Accedi con il TS ID che usi già'],
        ['Fatto', 'Ci sei?'],
        ['Sì', "Scrivimi l'indirizzo e-mail"],
      ]);
      await type(page, 'anna@bottega.it');
      await waitForText(page, 'Entra in Cassa in Cloud come amministratore');
      await clickThrough(page, [
        ['Fatto', 'Vai in "Impostazioni Account" → "TS Digital"'],
        ['Fatto', 'Scrivimi le aziende'],
      ]);
      await type(page, 'Bar Roma 01234560785');
      await waitForText(page, 'È corretto?');
      await clickThrough(page, [
        ['Sì, è corretto', 'Azienda 1 di 1'],
        ['Fatto', 'Vuoi procedere?'],
      ]);
      // The dialog first cancelled (nothing happens), then accepted.
      const dialogs: string[] = [];
      const answer = (accept: boolean) =>
        page.once(
          'dialog',
          (dialog) => void (dialogs.push(dialog.message()), accept ? dialog.accept() : dialog.dismiss()),
        );
      answer(false);
      await click(page, 'Sì, scollega Bar Roma');
      answer(true);
      await click(page, 'Sì, scollega Bar Roma');
      await waitForText(page, 'clicca l\'icona "catena"');
      expect(dialogs).toHaveLength(2);
      expect(dialogs[0]).toContain('Scollegare Bar Roma?');
      const log = await page.$eval('#log', (node) => (node as HTMLElement).innerText);
      expect(log.match(/clicca l'icona "catena"/g)).toHaveLength(1);
      await page.screenshot({ path: 'docs/web-chat.png' });
    }));

  it('shows a reminder that arrives by polling (nobody took the hand-off) and goes on from its button', () =>
    withChat(async (page) => {
      await type(page, 'operatore');
      await waitForText(page, 'Ho chiesto a un collega');
      // HANDOFF_TIMEOUT is 1 s: the bot's scheduler posts it, the page only polls.
      await waitForText(page, 'nessun operatore è libero');
      await click(page, 'Riprendi');
      await page.waitForFunction(
        () => document.getElementById('log')!.innerText.match(/Hai già un TS ID\?/g)!.length === 2,
      );
    }));

  it('has no serious or critical accessibility violations (axe-core)', () =>
    withChat(async (page) => {
      await click(page, 'Sì');
      await waitForText(page, 'Sei un amministratore');
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document);
        return (result.violations as { id: string; impact: string; nodes: unknown[] }[]).map(
          ({ id, impact, nodes }) => ({ id, impact, nodes: nodes.length }),
        );
      });
      console.log(`[figure] axe violations (any impact): ${violations.length}`);
      expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    }));

  it('can be used with the keyboard only: Tab reaches every button, Enter presses it', () =>
    withChat(async (page) => {
      await page.evaluate(() => document.activeElement?.blur());
      const reached: string[] = [];
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        reached.push(
          await page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent ?? ''}`),
        );
      }
      const buttons = await page.$$eval('button', (nodes) => nodes.map((node) => `BUTTON:${node.textContent}`));
      expect(buttons.filter((button) => !reached.includes(button))).toEqual([]);
      await page.evaluate(() => document.activeElement?.blur());
      for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Sì'; i++)
        await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await waitForText(page, 'Sei un amministratore');
    }));

  it('shows hostile HTML typed by the customer and by the agent as text: no element, no script runs', () =>
    withChat(async (page) => {
      const hostile = '<img src=x onerror="window.pwned=1"><b>bold</b>';
      await type(page, hostile);
      await waitForText(page, 'Qui serve una di queste risposte');
      await type(page, `/agent take Giulia`);
      await type(page, `/agent say Giulia: ${hostile}`);
      await page.waitForFunction(
        (wanted) => document.getElementById('log')!.innerText.split(wanted).length === 3,
        { timeout: 10_000 },
        hostile,
      );
      const injected = await page.evaluate(() => ({
        img: document.querySelectorAll('#log img, #log b').length,
        pwned: window.pwned ?? 0,
      }));
      expect(injected).toEqual({ img: 0, pwned: 0 });
    }));

  it('fits a 375 px wide phone screen without horizontal scrolling', () =>
    withChat(
      async (page) => {
        await type(page, 'Una domanda con una parola lunghissimaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
        await waitForText(page, 'Qui serve una di queste risposte');
        // Neither the page nor the chat log (which scrolls by itself) is wider than the screen.
        const widths = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth,
          log: document.getElementById('log').scrollWidth - document.getElementById('log').clientWidth,
          view: window.innerWidth,
        }));
        expect(widths).toEqual({ page: widths.view, log: 0, view: 375 });
      },
      375,
      740,
    ));
});
