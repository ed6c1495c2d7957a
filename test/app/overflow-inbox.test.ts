import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningBot } from '../../src/app/main.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { dmMessage, SIGNING_SECRET, SlackRequests } from '../adapters/slack/signed-request.js';
import { spawnBot, type ChildBot } from './child-bot.js';
import { startComposedSlackBot } from './composed-slack-bot.js';
import { metric, textsIn as textsOf, waitUntil } from './overflow-kit.js';

let fake: FakeSlackApi;
let redis: SingleNodeConnection;
const bots: RunningBot[] = [];
const children: ChildBot[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  redis = createRedisConnection(process.env.REDIS_URL!);
  await waitUntilReady(redis);
});
afterAll(async () => {
  await Promise.all(children.map((child) => child.kill()));
  await Promise.all(bots.map((bot) => bot.stop()));
  await fake.close();
  redis.destroy();
});

/** The composed bot on the test Redis under `prefix`, with `env` on top. */
async function startBot(prefix: string, env: Record<string, string>) {
  const started = await startComposedSlackBot(fake.apiUrl, {
    REDIS_URL: process.env.REDIS_URL!,
    REDIS_PREFIX: prefix,
    ...env,
  });
  bots.push(started.bot);
  return started;
}

const textsIn = (channel: string) => textsOf(fake, channel);

const inboxCount = (prefix: string) => redis.get(`{${prefix}:inbox}:count`).then(Number);

/** The inbox's count once it has reached `expected` (an entry is removed just after its answer is sent). */
async function settledCount(prefix: string, expected: number, timeoutMs = 5_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while ((await inboxCount(prefix)) !== expected && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return inboxCount(prefix);
}

describe('the overflow inbox (Redis) over real HTTP', () => {
  it('past the budget, signed Slack requests are written to the inbox and acknowledged 200, then answered in order per conversation', async () => {
    const prefix = `overflow-order-${randomUUID()}`;
    const { base, slack } = await startBot(prefix, { MAX_TURNS_IN_FLIGHT: '2' });
    fake.slow('chat.postMessage', 1500); // the first two turns hold the budget while their replies are posted
    expect((await slack.event(dmMessage('UO1', 'ciao'))).status).toBe(200);
    expect((await slack.event(dmMessage('UO2', 'ciao'))).status).toBe(200);

    // Three turns of one conversation and one of another, past the budget: each acknowledged only once written.
    for (const text of ['ciao', 'Non lo so', '1']) expect((await slack.event(dmMessage('UO3', text))).status).toBe(200);
    expect((await slack.event(dmMessage('UO4', 'ciao'))).status).toBe(200);
    expect(await metric(base, 'tsid_turns_queued_total{channel="slack"}')).toBe(4);
    expect(await metric(base, 'tsid_turns_refused_total')).toBe(0);
    expect(textsIn('DUO3')).toEqual([]); // queued, not run: the budget is still held

    fake.slow('chat.postMessage', 0);
    await fake.waitFor(
      () => textsIn('DUO3').length >= 3 && textsIn('DUO4').length >= 1,
      'the queued turns answered',
      15_000,
    );
    const replies = textsIn('DUO3');
    expect(replies[0]).toContain('Hai già un TS ID?');
    expect(replies[1]).toContain('Nessun problema');
    expect(replies[2]).toContain('Accedi al portale');
    expect(replies).toHaveLength(3);
    expect(textsIn('DUO4')).toHaveLength(1);
    expect(await settledCount(prefix, 0)).toBe(0);
  }, 30_000);

  it('past its bound the inbox refuses: Slack gets 503 and nothing is queued, and its retry is answered once there is room', async () => {
    const prefix = `overflow-full-${randomUUID()}`;
    const { base, slack } = await startBot(prefix, { MAX_TURNS_IN_FLIGHT: '1', OVERFLOW_INBOX_MAX: '1' });
    fake.slow('chat.postMessage', 1500);
    expect((await slack.event(dmMessage('UF1', 'ciao'))).status).toBe(200); // runs, holds the budget
    expect((await slack.event(dmMessage('UF2', 'ciao'))).status).toBe(200); // queued: the inbox's one place
    const refused = await slack.event(dmMessage('UF3', 'ciao'), { eventId: 'EvFULL3' });
    expect(refused.status).toBe(503);
    expect(await metric(base, 'tsid_turns_refused_total{channel="slack",reason="inbox-full"}')).toBe(1);
    expect(await inboxCount(prefix)).toBe(1);
    fake.slow('chat.postMessage', 0);
    await fake.waitFor(() => textsIn('DUF2').length >= 1, 'the queued turn answered', 10_000);
    expect(await settledCount(prefix, 0)).toBe(0);
    await waitUntil(async () => (await fetch(`${base}/readyz`)).status === 200, '/readyz ready again');
    // Slack retries the refused request later; there is room by then.
    expect((await slack.event(dmMessage('UF3', 'ciao'), { eventId: 'EvFULL3' }, { retryNum: 1 })).status).toBe(200);
    await fake.waitFor(() => textsIn('DUF3').length >= 1, 'the retried request answered', 10_000);
    expect(textsIn('DUF3')).toHaveLength(1);
  }, 30_000);

  it('a process killed while it runs an inbox entry loses nothing: another process takes the conversation over once its lease ends', async () => {
    const prefix = `overflow-kill-${randomUUID()}`;
    const env = {
      REDIS_URL: process.env.REDIS_URL!,
      REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      MAX_TURNS_IN_FLIGHT: '1',
      OVERFLOW_INBOX_LEASE: '1s',
    };
    const first = await spawnBot('test/app/bot-process.ts', env);
    children.push(first);
    const toFirst = new SlackRequests(first.base);
    fake.slow('chat.postMessage', 3000);
    expect((await toFirst.event(dmMessage('UK1', 'ciao'))).status).toBe(200); // runs, holds the budget
    expect((await toFirst.event(dmMessage('UK2', 'ciao'))).status).toBe(200); // queued
    expect((await toFirst.event(dmMessage('UK3', 'ciao'))).status).toBe(200); // queued
    // Once UK1 is answered the first process takes UK2 (one at a time: its budget is 1) and is killed in its turn.
    const leased = `{${prefix}:inbox}:leased`;
    const deadline = Date.now() + 15_000;
    while ((await redis.zScore(leased, 'slack:T1:UK2')) === null) {
      if (Date.now() > deadline) throw new Error(`the first process never took UK2:\n${first.lines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.kill();
    expect(await inboxCount(prefix)).toBe(2); // UK2 (held by the dead process) and UK3 are still there

    fake.slow('chat.postMessage', 0);
    await startBot(prefix, { MAX_TURNS_IN_FLIGHT: '10', OVERFLOW_INBOX_LEASE: '1s' });
    await fake.waitFor(() => textsIn('DUK3').length >= 1 && textsIn('DUK2').length >= 1, 'both answered', 15_000);
    expect(await settledCount(prefix, 0)).toBe(0);
    expect(textsIn('DUK3')).toHaveLength(1);
  }, 45_000);
});
