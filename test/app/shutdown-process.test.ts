import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { dmMessage, SIGNING_SECRET, SlackRequests } from '../adapters/slack/signed-request.js';
import { connectRedis } from '../support/redis-client.js';
import { startRedisServer, type RedisServer } from '../support/redis.js';
import { spawnBot, type ChildBot } from './child-bot.js';
import { statusOf } from './http-probe.js';

// The real src/app/main.ts in a child process, on a private Redis (its keys use the default prefix `tsid`).
let redis: RedisServer;
let connection: RedisConnection;

beforeAll(async () => {
  redis = await startRedisServer();
  connection = await connectRedis(redis.url);
});
afterAll(async () => {
  await connection.destroy();
  await redis.dispose();
});

interface Run {
  fake: FakeSlackApi;
  bot: ChildBot;
  slack: SlackRequests;
}

/** The bot process on Slack, its chat.postMessage answered `postDelayMs` late; cleaned up after `test`. */
async function withSlackBot(
  postDelayMs: number,
  shutdownTimeout: string,
  test: (run: Run) => Promise<void>,
): Promise<void> {
  const fake = await FakeSlackApi.start();
  fake.slow('chat.postMessage', postDelayMs);
  const env = {
    REDIS_URL: redis.url,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SHUTDOWN_TIMEOUT: shutdownTimeout,
  };
  const bot = await spawnBot('src/app/main.ts', env).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  try {
    await test({ fake, bot, slack: new SlackRequests(bot.base) });
  } finally {
    await bot.kill();
    await fake.close();
  }
}

/** Sends one signed DM from each user at once; every event must be acknowledged (200). */
async function sendTurns(slack: SlackRequests, users: string[]): Promise<void> {
  const answers = await Promise.all(users.map((user) => slack.event(dmMessage(user, 'ciao'))));
  expect(answers.map((answer) => answer.status)).toEqual(users.map(() => 200));
}

const outboxLength = (user: string) => connection.lLen(`tsid:{slack:T1:${user}}:outbox`);
const users = (count: number) =>
  Array.from({ length: count }, (_, n) => `U${randomUUID().slice(0, 8).toUpperCase()}${n}`);

describe('SIGTERM to the bot process (src/app/main.ts)', () => {
  it(
    'with 50 turns in flight: refuses new requests, delivers every reply and empties the outbox before it exits 0',
    () =>
      withSlackBot(400, '20s', async ({ fake, bot, slack }) => {
        const customers = users(50);
        await sendTurns(slack, customers);
        await fake.waitFor(() => fake.served('chat.postMessage').length > 0, 'a first post', 15_000);
        const answeredAtSignal = fake.served('chat.postMessage').filter((call) => call.answered).length;
        bot.child.kill('SIGTERM');
        expect(answeredAtSignal).toBeLessThan(customers.length); // the turns really were in flight
        await bot.waitForLine('signal received');

        expect(await statusOf(`${bot.base}/readyz`)).toBe(503);
        const late = await slack.event(dmMessage('ULATE', 'ciao'));
        expect(late.status).toBe(503);
        expect(await bot.exited).toBe(0);

        // The fake marks a post answered even when the bot is gone by then; an empty outbox in Redis says the bot
        // itself saw each post succeed before it exited.
        const replies = await Promise.all(
          customers.map(async (user) => ({
            user,
            posts: fake.served('chat.postMessage').filter((call) => call.args.channel === `D${user}` && call.answered)
              .length,
            outbox: await outboxLength(user),
          })),
        );
        const delivered = replies.filter((reply) => reply.posts === 1 && reply.outbox === 0).length;
        console.log(
          `[figure] replies answered by the fake Slack API at SIGTERM: ${answeredAtSignal}/${customers.length}`,
        );
        console.log(
          `[figure] replies delivered (posted once, outbox empty) before exit: ${delivered}/${customers.length}`,
        );
        // A clean shutdown finishes the turns and flushes their outbox.
        expect(replies.filter((reply) => reply.posts !== 1 || reply.outbox !== 0)).toEqual([]);
        expect(fake.served('chat.postMessage').some((call) => call.args.channel === 'DULATE')).toBe(false);
        expect(bot.lines.some((line) => line.includes('shut down cleanly'))).toBe(true);
      }),
    60_000,
  );

  it(
    'past SHUTDOWN_TIMEOUT: exits non-zero, logs what was left, and leaves it in the outbox',
    () =>
      withSlackBot(30_000, '1s', async ({ fake, bot, slack }) => {
        const customers = users(5);
        await sendTurns(slack, customers);
        await fake.waitFor(
          () => fake.served('chat.postMessage').length === customers.length,
          'a post per customer',
          15_000,
        );
        bot.child.kill('SIGTERM');
        expect(await bot.exited).toBe(1);

        const report = JSON.parse(bot.lines.find((line) => line.includes('shutdown timed out'))!) as {
          turns: number;
          conversations: string[];
        };
        expect(report.turns).toBe(customers.length);
        expect([...report.conversations].sort()).toEqual(customers.map((user) => `slack:T1:${user}`).sort());
        for (const user of customers) expect(await outboxLength(user)).toBeGreaterThan(0);
      }),
    60_000,
  );
});
