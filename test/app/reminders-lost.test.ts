import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot } from '../../src/app/main.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { SIGNING_SECRET } from '../adapters/slack/signed-request.js';
import { freePort } from '../support/global-setup.js';
import { RedisNode } from '../support/redis-topologies.js';

// A redis-server of this test's own: FLUSHALL never touches the shared one.
let redis: RedisNode;
let url: string;
let fake: FakeSlackApi;
let client: SingleNodeConnection;
const bots: RunningBot[] = [];
const lines: string[] = [];

beforeAll(async () => {
  const port = await freePort();
  redis = new RedisNode(port, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await redis.start();
  url = `redis://127.0.0.1:${port}`;
  fake = await FakeSlackApi.start();
  client = createRedisConnection(url);
  await waitUntilReady(client);
}, 30_000);
afterAll(async () => {
  await Promise.all(bots.map((bot) => bot.stop()));
  client?.destroy();
  await fake?.close();
  await redis?.kill();
});

async function startOne(): Promise<void> {
  const sink = new Writable({ write: (chunk, _encoding, done) => void (lines.push(String(chunk)), done()) });
  const config = loadConfig({
    PORT: '0',
    REDIS_URL: url,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  });
  bots.push(await startBot(config, { logger: createLogger('info', sink), host: '127.0.0.1', dataLossCheckMs: 50 }));
}

const lossLines = () => lines.filter((line) => line.includes('lostReminders'));

describe('after Redis lost its data (FLUSHALL)', () => {
  it('the reminders that went with it are counted in one log line, from one of the processes, not one line per reminder', async () => {
    await startOne();
    await startOne();
    const scheduler = new RedisReminderScheduler(client, { prefix: 'tsid' });
    const dueAt = Date.now() + 3_600_000;
    for (const user of ['U1', 'U2', 'U3']) {
      const key = { channel: 'slack' as const, tenant: 'T1', user };
      await scheduler.schedule({ conversationId: `slack:T1:${user}`, key, reminderId: 'invite.1', dueAt });
    }
    await new Promise((resolve) => setTimeout(resolve, 500)); // both processes have counted them

    expect(await redis.cli('FLUSHALL')).toBe('OK');
    const deadline = Date.now() + 5_000;
    while (lossLines().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500)); // many more looks by both processes

    expect(lossLines()).toHaveLength(1);
    expect(JSON.parse(lossLines()[0])).toMatchObject({ lostReminders: 3, level: 50 });
    expect(lossLines()[0]).toContain('3 scheduled reminders are gone');
  }, 30_000);
});
