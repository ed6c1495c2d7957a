import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Writable } from 'node:stream';
import type { Page } from 'puppeteer-core';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';
import { loadConfig } from '../../src/config/load-config.js';
import { launchChromium } from '../support/chromium.js';

jest.setTimeout(90_000);

// The functions passed to page.evaluate run in the page; the project's types have no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const navigator: any;

const quiet = () => createLogger('warn', new Writable({ write: (_chunk, _encoding, done) => done() }));

let bot: Awaited<ReturnType<typeof startBot>>;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let base: string;

beforeAll(async () => {
  bot = await startBot(loadConfig({ PORT: '0' }), { logger: quiet(), host: '127.0.0.1' });
  base = `http://127.0.0.1:${(bot.server.address() as { port: number }).port}`;
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await bot?.stop();
});

/**
 * A fresh chat whose message polls are slow (each answered 700 ms late), as on a loaded
 * server: the page's own poll after a click and its 1 s loop then overlap.
 */
async function slowChat(width: number, height: number): Promise<{ page: Page; done: () => Promise<void> }> {
  const context = await chromium.browser.createBrowserContext();
  const page = await context.newPage();
  await page.evaluateOnNewDocument(() => Object.defineProperty(navigator, 'language', { get: () => 'it-IT' }));
  await page.setViewport({ width, height });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url().includes('/local/chat/messages')) setTimeout(() => void request.continue(), 700);
    else void request.continue();
  });
  await page.goto(`${base}/`);
  await waitForText(page, 'Hai già un TS ID?');
  return { page, done: () => context.close() };
}

async function waitForText(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (wanted) => document.getElementById('log').innerText.includes(wanted),
    { timeout: 15_000 },
    text,
  );
}

/** Clicks (a real mouse click) the button with this label in the newest message. */
async function clickNewest(page: Page, label: string): Promise<void> {
  const boxes = await page.$$('#log .msg.bot');
  const buttons = (await boxes.at(-1)?.$$('button')) ?? [];
  const labels = await Promise.all(buttons.map((b) => b.evaluate((node: any) => node.textContent)));
  const index = labels.indexOf(label);
  if (index < 0) throw new Error(`no button "${label}" in the newest message (have: ${labels.join(', ')})`);
  await buttons[index].click();
}

const WALK: [label: string, next: string][] = [
  ['Sì', 'Sei un amministratore'],
  ['Sì', 'Accedi al portale di Cassa in Cloud'],
  ['Fatto', 'Apri la sezione "TeamSystem ID"'],
  ['Fatto', 'Seleziona "Connetti Team System ID"'],
  ['Fatto', 'Accedi con il TS ID che usi già'],
  ['Fatto', 'Ci sei?'],
];

describe.each([
  [1280, 720],
  [375, 667],
])('the web chat at %i×%i px (headless Chromium, slow polls)', (width, height) => {
  it('shows each message once, keeps the newest message and the input in view, moves focus to the new question, and disables spent buttons shown answered', async () => {
    const { page, done } = await slowChat(width, height);
    try {
      const seen: Record<string, unknown>[] = [];
      for (const [step, [label, next]] of WALK.entries()) {
        // Clicks at different moments of the page's 1 s poll loop, so one of them meets a poll in flight.
        await new Promise((resolve) => setTimeout(resolve, 200 + 300 * step));
        await clickNewest(page, label);
        await waitForText(page, next);
        await new Promise((resolve) => setTimeout(resolve, 1800)); // the loop has polled again meanwhile
        const state = await page.evaluate(() => {
          const inView = (node: any) => {
            const rect = node.getBoundingClientRect();
            return rect.top >= 0 && rect.bottom <= window.innerHeight + 1 && rect.height > 0;
          };
          const log = document.getElementById('log');
          const boxes = [...log.querySelectorAll('.msg.bot')];
          const newest: any = boxes[boxes.length - 1];
          const logRect = log.getBoundingClientRect();
          const newestRect = newest.getBoundingClientRect();
          const older = boxes.slice(0, -1);
          return {
            texts: boxes.map((box: any) => box.querySelector('.text').textContent),
            newestInView:
              inView(newest) && newestRect.bottom <= logRect.bottom + 1 && newestRect.top >= logRect.top - 1,
            inputInView: inView(document.getElementById('text')),
            focusInNewest: newest.contains(document.activeElement) && document.activeElement.tagName === 'BUTTON',
            liveOldButtons: older
              .flatMap((box: any) => [...box.querySelectorAll('button')])
              .filter((b: any) => !b.disabled).length,
            answered: older.map((box: any) => box.querySelector('.answered')?.textContent ?? ''),
            picked: older.map((box: any) => box.querySelector('button.picked[aria-pressed="true"]')?.textContent ?? ''),
          };
        });
        const { texts, answered, picked, ...rest } = state;
        seen.push({
          ...rest,
          shownTwice: texts.filter((text: string, index: number) => texts.indexOf(text) !== index),
          answered: answered.at(-1) === `✔ ${label}` && picked.at(-1) === label,
        });
      }
      const each = (field: string) => seen.map((step) => step[field]);
      expect(each('shownTwice').flat()).toEqual([]);
      expect(each('newestInView')).not.toContain(false);
      expect(each('inputInView')).not.toContain(false);
      expect(each('focusInNewest')).not.toContain(false);
      expect(each('liveOldButtons')).toEqual(WALK.map(() => 0));
      expect(each('answered')).not.toContain(false);
      // Tab from the focused question reaches no spent button of an older one.
      const tabbed: string[] = [];
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Tab');
        tabbed.push(await page.evaluate(() => (document.activeElement.disabled ? 'disabled' : 'live')));
      }
      expect(tabbed).not.toContain('disabled');
    } finally {
      await done();
    }
  });
});
