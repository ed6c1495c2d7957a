import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config/load-config.js';
import type { RunningBot } from '../../src/app/main.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import type { SlackRequests } from '../adapters/slack/signed-request.js';
import { startComposedSlackBot } from './composed-slack-bot.js';

let fake: FakeSlackApi;
let bot: RunningBot;
let slack: SlackRequests;
let base: string;
let logLines: string[];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  ({ bot, base, slack, logLines } = await startComposedSlackBot(fake.apiUrl, { SLACK_ALLOWED_TEAMS: 'T2' }));
});
afterAll(async () => {
  await bot.stop();
  await fake.close();
});

const start = (team: string, user: string) =>
  slack.command({
    team_id: team,
    user_id: user,
    text: 'start',
    response_url: `${fake.origin}/respond/${randomUUID()}`,
  });
const refusedCount = async (reason: string) => {
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const line = metrics.split('\n').find((row) => row.startsWith(`tsid_slack_refused_total{reason="${reason}"}`));
  return Number(line?.split(' ')[1] ?? 0);
};

describe('the composed bot refuses other Slack workspaces', () => {
  it('answers 200, does nothing, counts tsid_slack_refused_total and logs once; SLACK_ALLOWED_TEAMS adds T2', async () => {
    for (const user of ['U1', 'U2', 'U3']) expect((await start('T0OTHER', user)).status).toBe(200);
    await fake.waitFor(() => logLines.some((line) => line.includes('request refused')), 'the refusal logged');
    expect(await refusedCount('team')).toBe(3);
    expect(fake.served('conversations.open')).toEqual([]);
    expect(fake.served('respond')).toEqual([]);
    expect(logLines.filter((line) => line.includes('request refused'))).toHaveLength(1);
    expect((await start('T2', 'U9')).status).toBe(200);
    await fake.waitFor(() => fake.served('conversations.open').length === 1, 'the DM of the allowed workspace');
    expect(await refusedCount('team')).toBe(3);
  });

  it('rejects a SLACK_ALLOWED_TEAMS that is not a list of Slack ids', () => {
    expect(() => loadConfig({ SLACK_ALLOWED_TEAMS: 'T1,acme.slack.com' })).toThrow(/SLACK_ALLOWED_TEAMS must be/);
    expect(loadConfig({ SLACK_ALLOWED_TEAMS: ' T1, E2 ' }).slack.allowedTeams).toEqual(['T1', 'E2']);
    expect(loadConfig({}).slack.allowedTeams).toEqual([]);
  });
});
