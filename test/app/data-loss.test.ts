import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot } from '../../src/app/main.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { messagesIn, clickPayload } from '../adapters/slack/slack-payloads.js';
import { dmMessage, SIGNING_SECRET, SlackRequests } from '../adapters/slack/signed-request.js';
import { freePort } from '../support/global-setup.js';
import { RedisNode } from '../support/redis-topologies.js';

// A redis-server of this test's own: FLUSHALL never touches the shared one.
let redis: RedisNode;
let fake: FakeSlackApi;
let bot: RunningBot;
let slack: SlackRequests;

beforeAll(async () => {
  const port = await freePort();
  redis = new RedisNode(port, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await redis.start();
  fake = await FakeSlackApi.start();
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: `redis://127.0.0.1:${port}`,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  bot = await startBot(config, { logger: createLogger('info', sink), host: '127.0.0.1' });
  slack = new SlackRequests(`http://127.0.0.1:${(bot.server.address() as { port: number }).port}`);
}, 30_000);
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await redis?.kill();
});

const dm = () => messagesIn(fake, 'DU1');
const click = (label: string) =>
  slack.interaction(clickPayload(dm(), label, { team: 'T1', user: 'U1', responseUrl: `${fake.origin}/r` }));

describe('after the data is lost (FLUSHALL)', () => {
  it('a click on a question asked before the loss is told in one sentence that the bot lost track, and the guide starts again', async () => {
    expect((await slack.event(dmMessage('U1', 'ciao'))).status).toBe(200);
    await fake.waitFor(() => dm().some((m) => m.text.includes('Hai già un TS ID?')), 'the intro');
    expect((await click('Sì')).status).toBe(200);
    const before = dm().length;
    await fake.waitFor(() => dm().length > before, 'the next question');
    const asked = dm().length;

    expect(await redis.cli('FLUSHALL')).toBe('OK');
    expect((await click('Sì')).status).toBe(200);
    await fake.waitFor(() => dm().length > asked, 'the answer after the loss');
    const answer = dm().at(-1)!.text;
    expect(answer).toContain('ho perso il punto in cui eravamo arrivati');
    expect(answer).toContain('Hai già un TS ID?'); // offered to start again, from the beginning
  });
});
