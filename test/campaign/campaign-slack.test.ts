import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCampaignCli } from '../../src/app/campaign-cli.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startBot, type RunningBot } from '../../src/app/main.js';
import { RedisCampaignStore } from '../../src/campaign/redis-campaign-store.js';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { dmMessage, SIGNING_SECRET, SlackRequests } from '../adapters/slack/signed-request.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const AGENT = 'UAGENT';
const prefix = uniquePrefix('campaign-slack');
const tag = randomUUID().replace(/-/g, '').slice(0, 6).toUpperCase();
const user = (name: string) => `U${name}${tag}`;
let fake: FakeSlackApi;
let bot: RunningBot;
let slack: SlackRequests;
let config: Config;
let redis: RedisConnection;
let store: RedisCampaignStore;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  fake.emails.set('anna@example.it', user('ANNA'));
  config = loadConfig({
    REDIS_URL: testRedisUrl(),
    PORT: '0',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    REDIS_PREFIX: prefix,
    SLACK_HELPDESK_CHANNEL: 'CHELP',
    HELPDESK_AGENTS: AGENT,
    CAMPAIGN_SLACK_PER_MINUTE: '6000',
    CAMPAIGN_TEAMS_PER_MINUTE: '6000',
  });
  bot = await startBot(config, { logger: createLogger('warn'), host: '127.0.0.1' });
  slack = new SlackRequests(`http://127.0.0.1:${(bot.server.address() as { port: number }).port}`);
  redis = await connectRedis();
  store = new RedisCampaignStore(redis, { prefix, retentionMs: 60_000 });
  // A customer already past the first step: answered the first question.
  await slack.event(dmMessage(user('BUSY'), 'ciao'));
  await fake.waitFor(() => dm(user('BUSY')).length >= 1, 'the busy customer greeted', 15_000);
  await slack.event(dmMessage(user('BUSY'), 'sì'));
  await fake.waitFor(() => dm(user('BUSY')).length >= 2, 'the busy customer at the next step', 15_000);
}, 60_000);
afterAll(async () => {
  await bot.stop();
  await fake.close();
  await deleteKeys(redis, prefix);
  await redis.destroy();
});

const dm = (id: string) => fake.served('chat.postMessage').filter((call) => call.args.channel === `D${id}`);
const answers = () => fake.served('respond').map((call) => String(call.args.text));

async function command(by: string, text: string): Promise<string> {
  const before = answers().length;
  const response = await slack.command({ user_id: by, text, response_url: `${fake.origin}/respond/${randomUUID()}` });
  expect(response.status).toBe(200);
  await fake.waitFor(() => answers().length > before, 'the answer to the command', 20_000);
  return answers()[before];
}

const CSV = [
  'slack,anna@example.it,it',
  `slack,${user('ANNA')}`,
  'slack,nobody@example.it',
  `slack,${user('BUSY')}`,
  `slack,${user('BOB')},en`,
  `teams,tenant1/aad-${tag.toLowerCase()}`,
].join('\n');

describe('campaigns from Slack', () => {
  it('refuses /tsid campaign to someone who is not a helpdesk agent, and changes nothing', async () => {
    const name = `nope-${tag.toLowerCase()}`;
    expect(await command(user('OTHER'), `campaign start ${name}\n${CSV}`)).toBe(
      'Only helpdesk agents can run campaigns.',
    );
    expect(await store.get(name)).toBeUndefined();
    expect(fake.served('conversations.open').filter((call) => String(call.args.users) === user('BOB'))).toEqual([]);
  }, 30_000);

  it('dry run: reports unknown users, duplicates, customers already in the guide and unreachable ones, and changes nothing', async () => {
    const name = `dry-${tag.toLowerCase()}`;
    const keysBefore = await redis.keys(`${prefix}:{campaigns}:c:${name}:*`);
    const answer = await command(AGENT, `campaign start ${name} --dry-run\n${CSV}`);
    expect(answer).toContain('dry run, nothing changed');
    expect(answer).toContain('customers: 4 (to start: 2, already in the guide: 1, unreachable: 1)');
    expect(answer).toContain('line 2: same customer as line 1');
    expect(answer).toContain('line 3: no Slack user has this e-mail');
    expect(answer).toContain('line 4: at ');
    expect(answer).not.toContain('nobody@example.it');
    expect(keysBefore).toEqual([]);
    expect(await redis.keys(`${prefix}:{campaigns}:c:${name}:*`)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a runner would have started someone by now
    expect(dm(user('ANNA'))).toEqual([]);
    expect(dm(user('BOB'))).toEqual([]);
  }, 30_000);

  it('starts each customer once, counts the one already in the guide, reports the unknown Teams user, and its funnel follows them', async () => {
    const name = `run-${tag.toLowerCase()}`;
    const answer = await command(AGENT, `campaign start ${name} --rate 6000\n${CSV}`);
    expect(answer).toContain(`campaign ${name} started`);
    for (let i = 0; i < 300 && (await store.outcomes(name)).size < 4; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const outcomes = await store.outcomes(name);
    expect([...outcomes.values()].map((outcome) => outcome.status).sort()).toEqual([
      'already',
      'started',
      'started',
      'unreachable',
    ]);
    await fake.waitFor(
      () => dm(user('ANNA')).length === 1 && dm(user('BOB')).length === 1,
      'the guide opened for Anna and Bob',
      15_000,
    );
    expect(dm(user('BUSY'))).toHaveLength(2); // not restarted

    await slack.event(dmMessage(user('BOB'), 'stop'));
    await fake.waitFor(() => dm(user('BOB')).length === 2, 'the answer to stop', 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the progress note follows the turn
    const out: string[] = [];
    expect(await runCampaignCli(['status', name], config, { out: (text) => out.push(text) })).toBe(0);
    const funnel = out.join('\n');
    expect(funnel).toMatch(/started\s+2/);
    expect(funnel).toMatch(/already in it\s+1/);
    expect(funnel).toMatch(/unreachable\s+1/);
    expect(funnel).toMatch(/opted out\s+1/);
    expect(funnel).toMatch(/tsid\.intro\s+2/);

    const csv: string[] = [];
    expect(await runCampaignCli(['status', name, '--csv'], config, { out: (text) => csv.push(text) })).toBe(0);
    expect(csv.join('').trim().split('\n')).toHaveLength(5);
    expect(csv.join('')).not.toContain('@');
    const metrics = await (await fetch(`${slack.base}/metrics`)).text();
    expect(metrics).toContain(`tsid_campaign_customers{campaign="${name}",stage="started"} 2`);
    expect(metrics).toContain(`tsid_campaign_customers{campaign="${name}",stage="opted_out"} 1`);
    console.log(`[figure] campaign funnel (Slack test):\n${funnel}`);
  }, 60_000);
});
