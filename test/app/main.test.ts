import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startBot } from '../../src/main.js';

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

  it('stays up and reports not ready while Redis cannot be reached', async () => {
    const bot = await startBot(loadConfig({ PORT: '0', REDIS_URL: 'redis://127.0.0.1:1' }), { logger: quiet(), host: '127.0.0.1' });
    try {
      const port = (bot.server.address() as { port: number }).port;
      const answer = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(answer.status).toBe(503);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await bot.stop();
    }
  });
});
