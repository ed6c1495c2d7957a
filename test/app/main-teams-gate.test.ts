import dns from 'node:dns';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot } from '../../src/app/main.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { SIGNING_SECRET } from '../adapters/slack/signed-request.js';
import { FakeConnector } from '../adapters/teams/fake-connector.js';
import { sleep } from './http-probe.js';
import { EMULATOR_TENANT, emulatorMessage } from './emulator-message.js';

// A name that is not loopback and never resolves; the bot must not even look it up.
const FOREIGN_SERVICE_URL = 'http://connector.example.test/';
const TENANT = EMULATOR_TENANT;

let connector: FakeConnector;
let slackApi: FakeSlackApi;
let bot: RunningBot | undefined;
const logLines: string[] = [];
const lookups: string[] = [];
const realLookup = dns.lookup;

beforeAll(async () => {
  connector = await FakeConnector.start();
  slackApi = await FakeSlackApi.start();
  // Every outbound request by name goes through dns.lookup (fetch and node:http alike).
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    lookups.push(hostname);
    return (realLookup as (...args: unknown[]) => unknown)(hostname, ...rest);
  }) as typeof dns.lookup;
});
afterAll(async () => {
  dns.lookup = realLookup;
  await connector.close();
  await slackApi.close();
});
beforeEach(() => {
  logLines.length = 0;
  lookups.length = 0;
  connector.requests = 0;
});
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function start(env: Record<string, string>): Promise<string> {
  const sink = new Writable({ write: (chunk, _encoding, done) => void (logLines.push(String(chunk)), done()) });
  bot = await startBot(loadConfig({ PORT: '0', ...env }), { logger: createLogger('info', sink), host: '127.0.0.1' });
  return `http://127.0.0.1:${(bot.server.address() as { port: number }).port}`;
}

const activity = emulatorMessage;

const post = (base: string, body: object) =>
  fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const teamsTurns = async (base: string) =>
  (await (await fetch(`${base}/metrics`)).text())
    .split('\n')
    .filter((line) => line.startsWith('tsid_turns_total{channel="teams"'));

describe('Teams only when asked for', () => {
  it('a Slack-only bot has no /api/messages: an unsigned activity gets 404 and its serviceUrl gets nothing', async () => {
    const base = await start({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
    });
    const answer = await post(base, activity(connector.serviceUrl));
    expect(answer.status).toBe(404);
    await sleep(300); // room for a reply that should never come
    expect(connector.requests).toBe(0);
    expect(await teamsTurns(base)).toEqual([]);
  });

  it('Emulator mode answers an activity whose serviceUrl is loopback', async () => {
    const base = await start({});
    expect((await post(base, activity(connector.serviceUrl))).status).toBe(200);
    expect(connector.posted().length).toBeGreaterThan(0);
  });

  it('Emulator mode refuses an activity whose serviceUrl is not loopback: 403, no turn, no lookup of its host', async () => {
    const base = await start({});
    const answer = await post(base, activity(FOREIGN_SERVICE_URL, 'aad-user-2'));
    expect(answer.status).toBe(403);
    await sleep(300);
    expect(lookups).not.toContain('connector.example.test');
    expect(await teamsTurns(base)).toEqual([]);
    expect(logLines.join('')).toContain('serviceUrl is not a loopback address');
  });

  it('Emulator mode sends nothing proactively to a non-loopback serviceUrl: no lookup of its host, the delivery fails and is logged as kept in the outbox', async () => {
    await start({});
    const key = { channel: 'teams', tenant: TENANT, user: 'aad-user-3' } as const;
    const reference = {
      serviceUrl: FOREIGN_SERVICE_URL,
      conversation: { id: 'a:personal-3' },
      channelId: 'emulator',
      bot: { id: '28:bot' },
      user: { id: '29:aad-user-3' },
    };
    const result = await bot!.engine.handle({ key, event: { type: 'user.text', text: 'ciao' }, reference });
    expect(result.status).toBe('done');
    expect(lookups).not.toContain('connector.example.test');
    expect(logLines.join('')).toContain('tsid_delivery_failed');
    expect(logLines.join('')).toContain('delivery failed; kept in the outbox');
  });
});
