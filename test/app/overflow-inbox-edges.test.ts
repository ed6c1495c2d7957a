import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningBot } from '../../src/app/main.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';
import { RedisOverflowInbox } from '../../src/store/redis-overflow-inbox.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { clickPayload, messagesIn } from '../adapters/slack/slack-payloads.js';
import { dmMessage } from '../adapters/slack/signed-request.js';
import { startComposedSlackBot } from './composed-slack-bot.js';
import { metric, textsIn, waitUntil } from './overflow-kit.js';

let fake: FakeSlackApi;
let redis: SingleNodeConnection;
const bots: RunningBot[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  redis = createRedisConnection(process.env.REDIS_URL!);
  await waitUntilReady(redis);
});
afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  await fake.close();
  redis.destroy();
});

/** The composed bot on the test Redis under `prefix`. */
async function startBot(
  prefix: string,
  options: Parameters<typeof startComposedSlackBot>[2] = {},
  moreEnv: Record<string, string> = {},
) {
  const env = { REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: prefix, ...moreEnv };
  const started = await startComposedSlackBot(fake.apiUrl, env, options);
  bots.push(started.bot);
  return started;
}

/** An inbox entry as the front writes it: a typed text of `user` in their DM. */
function said(user: string, text: unknown, idempotencyKey: string) {
  const key = { channel: 'slack', tenant: 'T1', user };
  const reference = { channel: `D${user}`, team: 'T1' };
  return {
    at: Date.now(),
    inbound: { key, event: { type: 'user.text', text }, idempotencyKey, reference, locale: 'it' },
  };
}

describe('the overflow inbox at its edges', () => {
  it('a turn it sets aside is answered: the customer is told in one sentence that a message could not be processed, and their next turn runs after it', async () => {
    const prefix = `set-aside-${randomUUID()}`;
    const inbox = new RedisOverflowInbox(redis, { prefix, maxEntries: 100 });
    // An entry this deploy cannot read (written by another version: its text is not text), then a good one.
    await inbox.add('slack:T1:U7', said('U7', 42, 'Ev-odd'));
    await inbox.add('slack:T1:U7', said('U7', 'ciao', 'Ev-ciao'));

    const started = await startBot(prefix, { inboxRetryMs: 10 });
    await fake.waitFor(() => textsIn(fake, 'DU7').some((text) => text.includes('Hai già un TS ID?')), 'the intro');

    const texts = textsIn(fake, 'DU7');
    expect(texts.findIndex((text) => text.includes('Non sono riuscito a elaborare un tuo messaggio'))).toBe(0);
    expect(texts.slice(1).some((text) => text.includes('Hai già un TS ID?'))).toBe(true);
    expect(started.logLines.filter((line) => line.includes('turn set aside'))).toHaveLength(1);
  }, 20_000);

  it('a conversation with turns waiting sends a new message behind them even when the budget has room, so its turns are answered in the order they were written', async () => {
    const prefix = `overflow-behind-${randomUUID()}`;
    const inbox = new RedisOverflowInbox(redis, { prefix, maxEntries: 100 });
    await inbox.add('slack:T1:UB1', said('UB1', 'ciao', 'Ev-first'));
    // Another process holds the conversation (its lease): the bot under test cannot run the entry yet.
    const [held] = await inbox.claim(1, Date.now(), 60_000);
    expect(held?.conversationId).toBe('slack:T1:UB1');

    const { base, slack } = await startBot(prefix);
    await waitUntil(async () => (await metric(base, 'tsid_overflow_inbox_entries')) === 1, 'the bot to see the entry');

    // The budget has room (nothing runs): still, the next message waits behind the entry.
    expect((await slack.event(dmMessage('UB1', 'Non lo so'))).status).toBe(200);
    await waitUntil(async () => (await redis.get(`{${prefix}:inbox}:count`)) === '2', 'the message queued behind');
    expect(textsIn(fake, 'DUB1')).toEqual([]);

    await inbox.retry(held, Date.now()); // the other process lets go: the bot runs both, in order
    await fake.waitFor(() => textsIn(fake, 'DUB1').length >= 2, 'both answered', 10_000);
    const replies = textsIn(fake, 'DUB1');
    expect(replies[0]).toContain('Hai già un TS ID?');
    expect(replies[1]).toContain('Nessun problema');
  }, 30_000);

  it('a click past the budget is checked, acknowledged 200 once queued, then answered by the inbox and its message marked answered; a click from another DM is refused, not queued', async () => {
    const { base, slack, click } = await introWithBudgetOfOne('UC1');
    const elsewhere = { ...click, channel: { id: 'DX9', name: 'directmessage' } };
    Object.assign(elsewhere, { container: { ...(click.container as object), channel_id: 'DX9' } });

    fake.slow('chat.postMessage', 1500);
    expect((await slack.event(dmMessage('UC2', 'ciao'))).status).toBe(200); // runs, holds the budget
    expect((await slack.interaction(elsewhere)).status).toBe(200);
    expect((await slack.interaction(click)).status).toBe(200);
    expect(await metric(base, 'tsid_turns_queued_total{channel="slack"}')).toBe(1);
    expect(await metric(base, 'tsid_turns_refused_total')).toBe(0);
    expect(await metric(base, 'tsid_slack_refused_total{reason="not-own-dm"}')).toBe(1);
    expect(updatesIn('DUC1')).toEqual([]); // queued, not run: the budget is still held

    fake.slow('chat.postMessage', 0);
    await fake.waitFor(() => textsIn(fake, 'DUC1').length >= 2, 'the queued click answered', 10_000);
    await fake.waitFor(() => updatesIn('DUC1').length >= 1, 'the clicked message marked answered', 10_000);
    expect(updatesIn('DUC1')).toHaveLength(1);
    expect(textsIn(fake, 'DUC1')).toHaveLength(2);
    expect(textsIn(fake, 'DX9')).toEqual([]);
  }, 30_000);

  it('a queued click whose message Slack will not update is still answered, the failure logged once as a warning, and the inbox emptied', async () => {
    const { started, base, slack, click, prefix } = await introWithBudgetOfOne('UD1');
    fake.slow('chat.postMessage', 1500);
    expect((await slack.event(dmMessage('UD2', 'ciao'))).status).toBe(200); // runs, holds the budget
    expect((await slack.interaction(click)).status).toBe(200);
    expect(await metric(base, 'tsid_turns_queued_total{channel="slack"}')).toBe(1);
    fake.fail('chat.update', 'message_not_found', 10);

    fake.slow('chat.postMessage', 0);
    await fake.waitFor(() => textsIn(fake, 'DUD1').length >= 2, 'the queued click answered', 10_000);
    await waitUntil(async () => (await redis.get(`{${prefix}:inbox}:count`)) === '0', 'the inbox emptied');
    const warnings = started.logLines.filter((line) => line.includes('could not mark the message answered'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, conversationId: 'slack:T1:UD1' });
  }, 30_000);
});

/** A bot with a budget of one turn, `user` at the intro (the bot idle again), and a signed click on its "Sì". */
async function introWithBudgetOfOne(user: string) {
  const prefix = `overflow-click-${randomUUID()}`;
  const started = await startBot(prefix, {}, { MAX_TURNS_IN_FLIGHT: '1' });
  expect((await started.slack.event(dmMessage(user, 'ciao'))).status).toBe(200);
  await fake.waitFor(() => textsIn(fake, `D${user}`).length === 1, 'the intro');
  await waitUntil(async () => (await fetch(`${started.base}/readyz`)).status === 200, 'the intro turn over');
  const click = clickPayload(messagesIn(fake, `D${user}`), 'Sì', { team: 'T1', user, responseUrl: `${fake.origin}/r` });
  return { ...started, started, click, prefix };
}

const updatesIn = (channel: string) => fake.served('chat.update').filter((call) => call.args.channel === channel);
