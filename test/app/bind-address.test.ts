import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot } from '../../src/app/main.js';

const slack = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'secret' };
const teams = { MicrosoftAppId: 'app', MicrosoftAppPassword: 'pw' };

describe('the bind address (HOST)', () => {
  it.each([
    ['local mode (web chat and Emulator on by default)', {}, '127.0.0.1'],
    ['Slack only', slack, '0.0.0.0'],
    ['Teams only', teams, '0.0.0.0'],
    ['Slack with the web chat on', { ...slack, LOCAL_WEB_CHAT: 'on' }, '127.0.0.1'],
    ['Slack with the Teams Emulator on', { ...slack, TEAMS_EMULATOR: 'on' }, '127.0.0.1'],
    ['local mode with both turned off', { LOCAL_WEB_CHAT: 'off', TEAMS_EMULATOR: 'off' }, '0.0.0.0'],
  ])('defaults for %s', (_mode, env: Record<string, string>, host) => {
    expect(loadConfig(env).host).toBe(host);
  });

  it('takes HOST as given, in any mode', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ ...slack, HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
    expect(() => loadConfig({ HOST: 'http://x' })).toThrow(/HOST must be an address to listen on/);
  });

  it('listens on 127.0.0.1 in local mode and says where in the start-up log', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (c, _e, done) => void (lines.push(String(c)), done()) }));
    const bot = await startBot(loadConfig({ PORT: '0' }), { logger });
    try {
      const { address, port } = bot.server.address() as { address: string; port: number };
      expect(address).toBe('127.0.0.1');
      const started = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((l) => l.host);
      expect(started).toMatchObject({
        host: '127.0.0.1',
        port,
        msg: `tsid-assistant started, listening on 127.0.0.1:${port}`,
      });
      expect(lines.join('')).not.toContain('listens beyond this machine');
    } finally {
      await bot.stop();
    }
  });

  it('warns when HOST opens the unauthenticated web chat beyond this machine', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (c, _e, done) => void (lines.push(String(c)), done()) }));
    const bot = await startBot(loadConfig({ PORT: '0', HOST: '0.0.0.0' }), { logger });
    try {
      expect((bot.server.address() as { address: string }).address).toBe('0.0.0.0');
      expect(lines.join('')).toContain('listens beyond this machine');
    } finally {
      await bot.stop();
    }
  });
});
