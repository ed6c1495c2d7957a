import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningBot } from '../../src/app/main.js';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { dmMessage, type SlackRequests } from '../adapters/slack/signed-request.js';
import { FakeConnector } from '../adapters/teams/fake-connector.js';
import { startComposedSlackBot } from './composed-slack-bot.js';
import { emulatorMessage } from './emulator-message.js';

let fake: FakeSlackApi;
let connector: FakeConnector;
let bot: RunningBot;
let base: string;
let slack: SlackRequests;

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  connector = await FakeConnector.start();
  ({ bot, base, slack } = await startComposedSlackBot(fake.apiUrl, { TEAMS_EMULATOR: 'on', MAX_TURNS_IN_FLIGHT: '2' }));
});
afterAll(async () => {
  await bot.stop();
  await fake.close();
  await connector.close();
});

/** A message activity from a Teams user, as the Emulator sends it (Teams processes before it answers). */
const teamsMessage = (user: string) =>
  fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(emulatorMessage(connector.serviceUrl, user)),
  });
const posts = (channel: string) => fake.served('chat.postMessage').filter((call) => call.args.channel === channel);
const refusedCount = async (channel: string) => {
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith(`tsid_turns_refused_total{channel="${channel}",reason="budget"}`));
  return Number(line?.split(' ')[1] ?? 0);
};

describe('the turn budget (MAX_TURNS_IN_FLIGHT) over real HTTP', () => {
  it('past the budget a Slack request gets 503 before any ack, a Teams one 503 with Retry-After, /readyz says busy; the retries are answered once there is room', async () => {
    fake.slow('chat.postMessage', 1500); // each acknowledged turn stays held while its reply is posted
    expect((await slack.event(dmMessage('U1', 'ciao'))).status).toBe(200);
    expect((await slack.event(dmMessage('U2', 'ciao'))).status).toBe(200);

    const third = dmMessage('U3', 'ciao');
    const refused = await slack.event(third, { eventId: 'EvTHIRD' });
    expect(refused.status).toBe(503);
    const teams = await teamsMessage('aad-user-1');
    expect(teams.status).toBe(503);
    expect(teams.headers.get('retry-after')).toMatch(/^\d+$/);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'busy' });
    expect(await refusedCount('slack')).toBe(1);
    expect(await refusedCount('teams')).toBe(1);
    expect(posts('DU3')).toHaveLength(0); // refused means nothing done, not acknowledged and dropped

    fake.slow('chat.postMessage', 0);
    await fake.waitFor(() => posts('DU1').length >= 1 && posts('DU2').length >= 1, 'the two held turns answered');
    await waitUntil(async () => (await fetch(`${base}/readyz`)).status === 200, '/readyz ready again');
    // Slack retries the same event with X-Slack-Retry-Num; the Bot Connector retries the activity.
    expect((await slack.event(third, { eventId: 'EvTHIRD' }, { retryNum: 1 })).status).toBe(200);
    await fake.waitFor(() => posts('DU3').length >= 1, 'the retried request answered');
    expect((await teamsMessage('aad-user-1')).status).toBe(200);
    expect(connector.posted().length).toBeGreaterThan(0);
  });
});

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
