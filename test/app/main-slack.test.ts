import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot } from '../../src/app/main.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { dmMessage, SIGNING_SECRET, SlackRequests } from '../adapters/slack/signed-request.js';

const HELPDESK = 'CHELP';
let fake: FakeSlackApi;
let bot: RunningBot;
let slack: SlackRequests;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  const sink = new Writable({ write: (chunk, _encoding, done) => void (logLines.push(String(chunk)), done()) });
  const config = loadConfig({
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_HELPDESK_CHANNEL: HELPDESK,
  });
  bot = await startBot(config, { logger: createLogger('info', sink), host: '127.0.0.1' });
  slack = new SlackRequests(`http://127.0.0.1:${(bot.server.address() as { port: number }).port}`);
});
afterAll(async () => {
  await bot.stop();
  await fake.close();
});

const posts = (channel: string) => fake.served('chat.postMessage').filter((call) => call.args.channel === channel);
const textOf = (call: { args: Record<string, unknown> }) => String(call.args.text ?? '');

describe('the composed bot, through Slack', () => {
  it('runs the guide in the DM and posts a hand-off with the masked e-mail to the helpdesk channel', async () => {
    const say = async (text: string, count: number) => {
      expect((await slack.event(dmMessage('U1', text))).status).toBe(200);
      await fake.waitFor(() => posts('DU1').length >= count, `${count} posts in the DM`);
    };
    await say('ciao', 1);
    expect(textOf(posts('DU1')[0])).toContain('Hai già un TS ID?');
    const answers = ['sì', 'sì', 'fatto', 'fatto', 'fatto', 'fatto', 'sì'];
    for (const [index, text] of answers.entries()) await say(text, index + 2);
    await say('mario.rossi@example.it', answers.length + 2); // one message per turn: the e-mail noted, then the next step
    await say('operatore', answers.length + 3);
    await fake.waitFor(() => posts(HELPDESK).length >= 1, 'the hand-off post');
    const post = JSON.stringify(posts(HELPDESK)[0].args);
    expect(post).toContain('customer-asked');
    expect(post).toContain('invoice.open-settings');
    expect(post).toContain('m•••@example.it');
    expect(post).not.toContain('mario.rossi');
    expect(textOf(posts('DU1').at(-1)!)).toContain('Ho chiesto a un collega');
    expect(logLines.join('')).not.toContain('mario.rossi');
  });
});
