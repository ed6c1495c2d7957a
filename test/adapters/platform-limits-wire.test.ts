import { afterEach, describe, expect, it } from '@jest/globals';
import { slackKey } from '../../adapters/slack/to-event.js';
import { STEP_IDS } from '../../flows/tsid-digital-invoice/index.js';
import { HandoffService, MemoryHandoffStore } from '../../src/handoff/index.js';
import { transcriptFlow } from '../transcripts/flow-for-transcripts.js';
import type { FakeSlackApi } from './slack/fake-slack-api.js';
import { dmMessage } from './slack/signed-request.js';
import { SlackHarness } from './slack/slack-harness.js';
import { HELPDESK_CHANNEL as SLACK_HELPDESK, SlackHelpdeskAgent } from './slack/slack-helpdesk-agent.js';
import { slackLimitError } from './slack/slack-limits-check.js';
import { cardOf, readCard } from './teams/read-cards.js';
import { TeamsTranscriptDriver } from './teams/teams-driver.js';
import { TeamsHarness } from './teams/teams-harness.js';
import { HELPDESK_CHANNEL as TEAMS_HELPDESK } from './teams/teams-helpdesk-agent.js';

// Issue 20, "Why" 2, over the real wire: fakes that refuse what Slack and Teams refuse.
const OK_666 = 'ok,'.repeat(666); // 1,998 characters: one "looks like an answer" problem per item
// 130 different problems ("Bar aa": a VAT number has 11 digits, I see 7), 1,949 characters.
const name = (i: number) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
const DISTINCT = Array.from({ length: 130 }, (_, i) => `Bar ${name(i)} 1234567`).join(',');
const LONG_MESSAGE = 'parola '.repeat(28_572); // 200,000 characters

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});
const handoffService = () => new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS });

/** Every post and update the fake received was within Slack's limits (so none was refused). */
function refusedBySlack(fake: FakeSlackApi): string[] {
  return fake.calls.flatMap((call) => slackLimitError(call.method, call.args) ?? []);
}

describe('platform limits over the wire: the company list at its worst', () => {
  it('Slack: 666 "ok" and 130 bad entries at the company question are delivered within the limits, the rest counted', async () => {
    const harness = await SlackHarness.start({
      flow: transcriptFlow({}),
      helpdesk: { channel: SLACK_HELPDESK, handoff: handoffService() },
    });
    closers.push(() => harness.close());
    const key = slackKey('T1', 'U1');
    await harness.engine.handle({ key, event: { type: 'session.start', step: 'invoice.companies' } });
    const dmPosts = () => harness.fake.served('chat.postMessage').filter((call) => call.args.channel === 'DU1');
    for (const list of [OK_666, DISTINCT]) {
      const before = dmPosts().length;
      const response = await harness.slack.event(dmMessage('U1', list));
      expect(response.status).toBe(200);
      await harness.fake.waitFor(() => dmPosts().length > before, 'the answer to the list');
    }
    const [okAnswer, distinctAnswer] = dmPosts()
      .slice(-2)
      .map((call) => String(call.args.text));
    expect(okAnswer).toContain('"ok" sembra una risposta');
    expect(okAnswer.length).toBeLessThan(500);
    expect(distinctAnswer).toContain('… e altri 125.');
    expect(refusedBySlack(harness.fake)).toEqual([]);
  });

  it('Teams: 666 "ok" and 130 bad entries at the company question are delivered (no 413), the rest counted', async () => {
    const harness = await TeamsHarness.start({
      flow: transcriptFlow({}),
      locale: 'it-IT',
      handoff: handoffService(),
      helpdeskChannel: TEAMS_HELPDESK,
    });
    closers.push(() => harness.close());
    expect((await harness.post(harness.activity({ text: 'ciao' }))).status).toBe(200);
    await harness.engine.handle({ key: harness.key, event: { type: 'session.start', step: 'invoice.companies' } });
    for (const list of [OK_666, DISTINCT]) {
      const before = harness.fake.posted().length;
      expect((await harness.post(harness.activity({ text: list }))).status).toBe(200);
      await waitFor(() => harness.fake.posted().length > before, 'the answer to the list');
    }
    const [okAnswer, distinctAnswer] = harness.fake
      .posted()
      .slice(-2)
      .map((entry) => readCard(cardOf(entry.activity)).text);
    expect(okAnswer).toContain('"ok" sembra una risposta');
    expect(distinctAnswer).toContain('… e altri 125.');
    expect(harness.fake.refusedTooLarge).toBe(0);
  });
});

describe('platform limits over the wire: a long message relayed to the helpdesk', () => {
  it('a 200,000-character Teams message reaches the Slack helpdesk thread, shortened and within the limits', async () => {
    const handoff = handoffService();
    const slack = await SlackHarness.start({
      flow: transcriptFlow({}),
      helpdesk: { channel: SLACK_HELPDESK, handoff },
    });
    const teams = await TeamsHarness.start({ flow: transcriptFlow({}), locale: 'it-IT', handoff });
    const driver = new TeamsTranscriptDriver(teams, new SlackHelpdeskAgent(slack), () => slack.close());
    closers.push(() => driver.close());
    await driver.say('buongiorno');
    await driver.inject({ type: 'cmd.agent' });
    await driver.inject({ type: 'agent.accepted', agentName: 'Sara' });
    const threadPosts = () =>
      slack.fake
        .served('chat.postMessage')
        .filter((call) => call.args.channel === SLACK_HELPDESK && call.args.thread_ts);
    const before = threadPosts().length;
    await driver.say(LONG_MESSAGE);
    await slack.fake.waitFor(() => threadPosts().length > before, 'the relay in the hand-off thread');
    const relay = threadPosts().at(-1)!;
    expect(String(relay.args.text)).toMatch(/^Customer: parola parola .*… \(shortened\)$/s);
    expect((relay.args.blocks as unknown[]).length).toBe(50);
    expect(refusedBySlack(slack.fake)).toEqual([]);
  });
});

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
