import { describe, expect, it } from '@jest/globals';
import { WebBrowser } from '../local/web-browser.js';
import { startRedisServer } from '../support/redis.js';
import { spawnBot, type ChildBot } from './child-bot.js';
import { sleep, statusOf, waitForStatus } from './http-probe.js';

// In a child process an unhandled rejection really ends the process (in a Jest worker it may not).
const POLL_MS = 100;
const OUTAGE_POLLS = 10;

/** Watches the process for `polls` reminder polls: alive and `/healthz` 200 at every one. */
async function staysUp(bot: ChildBot, polls: number): Promise<void> {
  for (let poll = 0; poll < polls; poll++) {
    expect(bot.alive()).toBe(true);
    expect(await statusOf(`${bot.base}/healthz`)).toBe(200);
    await sleep(POLL_MS);
  }
}

const unhandled = (bot: ChildBot) => bot.lines.filter((line) => /unhandled|uncaught/i.test(line));

describe('the bot process (src/app/main.ts runProcess) without its Redis', () => {
  it('stays up through a Redis outage of many reminder polls, is not ready meanwhile, and serves a turn once Redis is back', async () => {
    const redis = await startRedisServer();
    const bot = await spawnBot('test/app/bot-process.ts', { REDIS_URL: redis.url, POLL_MS: String(POLL_MS) });
    try {
      await waitForStatus(`${bot.base}/readyz`, 200);
      await redis.stop();
      await waitForStatus(`${bot.base}/readyz`, 503);
      await staysUp(bot, OUTAGE_POLLS);
      await bot.waitForLine('reminder poll failed');
      expect(await statusOf(`${bot.base}/readyz`)).toBe(503);

      await redis.start();
      await waitForStatus(`${bot.base}/readyz`, 200);
      const browser = new WebBrowser(bot.base);
      expect((await browser.say('ciao')).status).toBe(200);
      expect((await browser.poll()).map((entry) => entry.text).join('\n')).toContain('TS ID');
      expect(bot.alive()).toBe(true);
      expect(unhandled(bot)).toEqual([]);
    } finally {
      await bot.kill();
      await redis.dispose();
    }
  }, 60_000);

  it('stays up and not ready when Redis is never reachable (REDIS_URL=redis://127.0.0.1:1)', async () => {
    const bot = await spawnBot('test/app/bot-process.ts', {
      REDIS_URL: 'redis://127.0.0.1:1',
      POLL_MS: String(POLL_MS),
    });
    try {
      await staysUp(bot, 2 * OUTAGE_POLLS);
      expect(await statusOf(`${bot.base}/readyz`)).toBe(503);
      await bot.waitForLine('reminder poll failed');
      expect(bot.alive()).toBe(true);
      expect(unhandled(bot)).toEqual([]);
    } finally {
      await bot.kill();
    }
  }, 60_000);
});
