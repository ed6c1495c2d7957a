import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningBot } from '../../src/app/main.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { dmMessage, type SlackRequests } from '../adapters/slack/signed-request.js';
import { startComposedSlackBot } from './composed-slack-bot.js';

const HELPDESK = 'CHELP';
let fake: FakeSlackApi;
let bot: RunningBot;
let slack: SlackRequests;
let logLines: string[];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  ({ bot, slack, logLines } = await startComposedSlackBot(fake.apiUrl, { SLACK_HELPDESK_CHANNEL: HELPDESK }));
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
