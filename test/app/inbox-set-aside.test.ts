import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningBot } from '../../src/app/main.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';
import { RedisOverflowInbox } from '../../src/store/redis-overflow-inbox.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { startComposedSlackBot } from './composed-slack-bot.js';

let fake: FakeSlackApi;
let redis: SingleNodeConnection;
let bot: RunningBot | undefined;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  redis = createRedisConnection(process.env.REDIS_URL!);
  await waitUntilReady(redis);
});
afterAll(async () => {
  await bot?.stop();
  await fake.close();
  redis.destroy();
});

const textsIn = (channel: string) =>
  fake
    .served('chat.postMessage')
    .filter((call) => call.args.channel === channel)
    .map((call) => String(call.args.text ?? ''));

describe('a turn the overflow inbox sets aside', () => {
  it('is answered: the customer is told in one sentence that a message could not be processed, and their next turn runs after it', async () => {
    const prefix = `set-aside-${randomUUID()}`;
    const inbox = new RedisOverflowInbox(redis, { prefix, maxEntries: 100 });
    const key = { channel: 'slack', tenant: 'T1', user: 'U7' };
    const reference = { channel: 'DU7', team: 'T1' };
    // An entry this deploy cannot read (written by another version: its text is not text), then a good one.
    await inbox.add('slack:T1:U7', {
      at: 1,
      inbound: { key, event: { type: 'user.text', text: 42 }, idempotencyKey: 'Ev-odd', reference, locale: 'it' },
    });
    await inbox.add('slack:T1:U7', {
      at: 2,
      inbound: { key, event: { type: 'user.text', text: 'ciao' }, idempotencyKey: 'Ev-ciao', reference, locale: 'it' },
    });

    const started = await startComposedSlackBot(
      fake.apiUrl,
      { REDIS_URL: process.env.REDIS_URL!, REDIS_PREFIX: prefix },
      { inboxRetryMs: 10 },
    );
    bot = started.bot;
    await fake.waitFor(() => textsIn('DU7').some((text) => text.includes('Hai già un TS ID?')), 'the intro');

    const texts = textsIn('DU7');
    const notice = texts.findIndex((text) => text.includes('Non sono riuscito a elaborare un tuo messaggio'));
    expect(notice).toBe(0);
    expect(texts.slice(1).some((text) => text.includes('Hai già un TS ID?'))).toBe(true);
    expect(started.logLines.filter((line) => line.includes('turn set aside'))).toHaveLength(1);
  }, 20_000);
});
