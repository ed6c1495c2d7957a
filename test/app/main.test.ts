import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';

const quiet = () => createLogger('warn', new Writable({ write: (_chunk, _encoding, done) => done() }));

describe('the composed bot', () => {
  it('starts on the memory store and answers health, readiness and metrics', async () => {
    const bot = await startBot(loadConfig({ PORT: '0' }), { logger: quiet(), host: '127.0.0.1' });
    try {
      const port = (bot.server.address() as { port: number }).port;
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ status: 'ready' });
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('tsid_turns_total');
    } finally {
      await bot.stop();
    }
  });

  // The same in a child process, where an unhandled rejection would end it: redis-outage-process.test.ts.
  it('reports not ready while Redis cannot be reached, and logs the failing reminder poll once, not every poll', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      'error',
      new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) }),
    );
    const bot = await startBot(loadConfig({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' }), {
      logger,
      host: '127.0.0.1',
      pollIntervalMs: 20,
    });
    try {
      const port = (bot.server.address() as { port: number }).port;
      const polls = () => lines.filter((line) => line.includes('reminder poll failed'));
      const deadline = Date.now() + 10_000;
      while (polls().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      // About 75 more polls fail meanwhile (one each 20 ms): the next line is a summary, a minute later.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(polls()).toHaveLength(1);
      expect(polls()[0]).toContain('tsid_store_unavailable');
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });
});
