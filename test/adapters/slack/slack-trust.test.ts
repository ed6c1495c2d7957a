import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { HANDOFF_ACTIONS } from '../../../adapters/slack/helpdesk-render.js';
import { STEP_IDS } from '../../../flows/tsid-digital-invoice/index.js';
import { HandoffService, MemoryHandoffStore } from '../../../src/handoff/index.js';
import { transcriptFlow } from '../../transcripts/flow-for-transcripts.js';
import { BOT_USER_ID, type ApiCall } from './fake-slack-api.js';
import { readBlocks } from './read-blocks.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness, type HarnessOptions } from './slack-harness.js';
import { clickPayload, messagesIn } from './slack-payloads.js';

/**
 * What a click may be trusted for (issue 20, "Why" 3 and 4): only its action. Every request
 * goes signed over HTTP through Bolt; the fake Web API records every call the bot makes.
 */
const HELPDESK = 'CHELPDESK';
const EVIL = '<!channel> <https://evil.example|Verify your invoice now>';
const ATTACKER_BLOCKS = [
  { type: 'section', block_id: 'evil', text: { type: 'mrkdwn', text: EVIL } },
  { type: 'context', elements: [{ type: 'mrkdwn', text: EVIL }] },
];
const key = (tenant: string, user: string) => ({ channel: 'slack', tenant, user }) as const;

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: HarnessOptions = {}): Promise<SlackHarness> {
  const handoff = new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS });
  harness = await SlackHarness.start({ helpdesk: { channel: HELPDESK, handoff }, ...options });
  harness.fake.members.set(HELPDESK, new Set(['UAGENT']));
  return harness;
}

/** Sends one request and waits until the bot is done with it; returns that request's outcome. */
async function send(h: SlackHarness, request: () => Promise<{ status: number }>) {
  const before = h.outcomes.length;
  expect((await request()).status).toBe(200);
  const outcomes = await h.outcomesAfter(before + 1);
  return outcomes[before];
}

/** The calls the bot made to Slack from index `from` on (auth.test at start excluded). */
const callsSince = (h: SlackHarness, from: number): ApiCall[] => h.fake.calls.slice(from);

/** A real click on the user's newest `label` button, then changed as an attacker would. */
function forgedClick(h: SlackHarness, label: string, user: string, change: (payload: Record<string, unknown>) => void) {
  const payload = clickPayload(messagesIn(h.fake, `D${user}`), label, {
    team: 'T1',
    user,
    responseUrl: `${h.fake.origin}/respond/${randomUUID()}`,
  });
  change(payload);
  return payload;
}

describe('Slack clicks: trust nothing but the action', () => {
  it('a signed click from another workspace, naming the helpdesk channel and carrying mrkdwn blocks, changes nothing', async () => {
    const h = await start();
    await send(h, () => h.slack.event(dmMessage('U1', 'ciao')));
    const before = h.fake.calls.length;
    const forged = forgedClick(h, 'Yes', 'U1', (payload) => {
      payload.team = { id: 'T0OTHER', domain: 'other' };
      payload.user = { id: 'U1', username: 'mallory', name: 'mallory', team_id: 'T0OTHER' };
      payload.container = { type: 'message', message_ts: '1767600000.000100', channel_id: HELPDESK };
      payload.channel = { id: HELPDESK, name: 'helpdesk' };
      payload.message = { type: 'message', user: BOT_USER_ID, ts: '1767600000.000100', blocks: ATTACKER_BLOCKS };
    });
    expect(await send(h, () => h.slack.interaction(forged))).toEqual({ kind: 'refused', reason: 'team' });
    // Nothing at all went to Slack: no post, no update, no DM opened, anywhere.
    expect(callsSince(h, before)).toEqual([]);
    expect(await h.engine.load(key('T0OTHER', 'U1'))).toBeUndefined();
    expect((await h.engine.load(key('T1', 'U1')))?.revision).toBe(1);
  });

  it("a click from the user's own workspace naming the helpdesk channel runs no turn and updates nothing", async () => {
    const h = await start();
    await send(h, () => h.slack.event(dmMessage('U1', 'ciao')));
    const before = h.fake.calls.length;
    const forged = forgedClick(h, 'Yes', 'U1', (payload) => {
      payload.container = { type: 'message', message_ts: '1767600000.000100', channel_id: HELPDESK };
      payload.channel = { id: HELPDESK, name: 'helpdesk' };
      payload.message = { type: 'message', user: BOT_USER_ID, ts: '1767600000.000100', blocks: ATTACKER_BLOCKS };
    });
    expect(await send(h, () => h.slack.interaction(forged))).toEqual({ kind: 'refused', reason: 'not-own-dm' });
    const written = callsSince(h, before).filter((call) => call.method.startsWith('chat.'));
    expect(written).toEqual([]);
    expect(h.fake.served('chat.postMessage').filter((call) => call.args.channel === HELPDESK)).toEqual([]);
    // No guide moved: the conversation is where it was, and still lives in the user's DM.
    const record = await h.engine.load(key('T1', 'U1'));
    expect(record?.revision).toBe(1);
    expect(record?.reference).toEqual({ channel: 'DU1', team: 'T1' });
  });

  it("a click in another user's DM, or by a user with no conversation, is refused", async () => {
    const h = await start();
    await send(h, () => h.slack.event(dmMessage('U1', 'ciao')));
    await send(h, () => h.slack.event(dmMessage('U2', 'ciao')));
    const before = h.fake.calls.length;
    // U1 clicks a button of U2's DM (the payload names DU2 and U2's message).
    const intoOthers = forgedClick(h, 'Yes', 'U2', (payload) => {
      payload.user = { id: 'U1', username: 'u1', name: 'u1', team_id: 'T1' };
    });
    expect(await send(h, () => h.slack.interaction(intoOthers))).toEqual({ kind: 'refused', reason: 'not-own-dm' });
    // U3 has never talked to the bot: a click naming U1's DM starts nothing.
    const stranger = forgedClick(h, 'Yes', 'U1', (payload) => {
      payload.user = { id: 'U3', username: 'u3', name: 'u3', team_id: 'T1' };
    });
    expect(await send(h, () => h.slack.interaction(stranger))).toEqual({ kind: 'refused', reason: 'not-own-dm' });
    expect(callsSince(h, before).filter((call) => call.method.startsWith('chat.'))).toEqual([]);
    expect((await h.engine.load(key('T1', 'U1')))?.revision).toBe(1);
    expect((await h.engine.load(key('T1', 'U2')))?.revision).toBe(1);
    expect(await h.engine.load(key('T1', 'U3'))).toBeUndefined();
  });

  it("redraws a clicked message from the bot's own question, whatever blocks and button text the click carries", async () => {
    const h = await start();
    await send(h, () => h.slack.event(dmMessage('U1', 'ciao')));
    const posted = h.fake.served('chat.postMessage')[0];
    const click = forgedClick(h, 'Yes', 'U1', (payload) => {
      const action = (payload.actions as Record<string, unknown>[])[0];
      action.text = { type: 'plain_text', text: 'Verify your invoice at evil.example' };
      (payload.message as Record<string, unknown>).blocks = ATTACKER_BLOCKS;
    });
    expect(await send(h, () => h.slack.interaction(click))).toMatchObject({ kind: 'turn', status: 'done' });
    const [update] = h.fake.served('chat.update');
    expect(update.args).toMatchObject({ channel: 'DU1', ts: posted.ts });
    expect(JSON.stringify(update.args)).not.toContain('evil.example');
    expect(JSON.stringify(update.args.blocks)).not.toContain('mrkdwn');
    // The question as posted, its choice buttons gone, the flow's own label for the answer.
    const before = readBlocks(posted.args.blocks);
    expect(readBlocks(update.args.blocks)).toEqual({ ...before, text: `${before.text} ✔ Yes`, choices: [] });
    expect(update.args.text).toBe('Yes');
  });

  it('with the real guide: the answered message is the question as asked; a click on an older question is left as it is', async () => {
    const h = await start({ flow: transcriptFlow({}) });
    await send(h, () => h.slack.event(dmMessage('U1', 'ciao')));
    const intro = h.fake.served('chat.postMessage')[0];
    const [yes, no] = readBlocks(intro.args.blocks).choices;
    // Answered by typing: the intro keeps its buttons, and the guide moves on.
    await send(h, () => h.slack.event(dmMessage('U1', yes)));
    const stale = clickPayload(
      messagesIn(h.fake, 'DU1').filter((message) => message.ts === intro.ts),
      no,
      { team: 'T1', user: 'U1', responseUrl: `${h.fake.origin}/respond/1` },
    );
    expect(await send(h, () => h.slack.interaction(stale))).toMatchObject({ kind: 'turn', status: 'done' });
    expect(h.fake.served('chat.update')).toEqual([]);
    // The current question, clicked: redrawn from the guide's own render, with the answer.
    const current = h.fake.served('chat.postMessage').at(-1)!;
    const [first] = readBlocks(current.args.blocks).choices;
    const click = forgedClick(h, first, 'U1', () => undefined);
    expect((click.container as { message_ts: string }).message_ts).toBe(current.ts);
    await send(h, () => h.slack.interaction(click));
    const [update] = h.fake.served('chat.update');
    const asked = readBlocks(current.args.blocks);
    expect(update.args.ts).toBe(current.ts);
    expect(readBlocks(update.args.blocks)).toEqual({ ...asked, text: `${asked.text} ✔ ${first}`, choices: [] });
  });

  it('a hand-off control clicked outside the helpdesk channel is refused', async () => {
    const h = await start();
    const before = h.fake.calls.length;
    const payload = {
      type: 'block_actions',
      user: { id: 'UAGENT', username: 'agent', name: 'agent', team_id: 'T1' },
      team: { id: 'T1', domain: 'example' },
      container: { type: 'message', message_ts: '1767600000.000100', channel_id: 'DUAGENT' },
      channel: { id: 'DUAGENT', name: 'directmessage' },
      trigger_id: `trigger.${randomUUID()}`,
      actions: [{ type: 'button', action_id: HANDOFF_ACTIONS.take, block_id: 'handoff.actions', action_ts: '1.2' }],
    };
    expect(await send(h, () => h.slack.interaction(payload))).toEqual({
      kind: 'refused',
      reason: 'not-helpdesk-channel',
    });
    expect(callsSince(h, before)).toEqual([]);
  });
});

describe('Slack workspaces: only the installed one is served', () => {
  const command = (h: SlackHarness, fields: Record<string, string>) => () =>
    h.slack.command({ response_url: `${h.fake.origin}/respond/${randomUUID()}`, ...fields });

  it('refuses /tsid start from another workspace: no DM opened, no record, no answer', async () => {
    const h = await start();
    const before = h.fake.calls.length;
    expect(await send(h, command(h, { team_id: 'T0OTHER', user_id: 'U9', text: 'start' }))).toEqual({
      kind: 'refused',
      reason: 'team',
    });
    expect(await send(h, command(h, { team_id: 'T0OTHER', user_id: 'UAGENT', text: 'start <@U1>' }))).toEqual({
      kind: 'refused',
      reason: 'team',
    });
    expect(callsSince(h, before)).toEqual([]);
    expect(await h.engine.load(key('T0OTHER', 'U9'))).toBeUndefined();
    expect(await h.engine.load(key('T1', 'U1'))).toBeUndefined();
    // The same command from the installed workspace is served.
    expect(await send(h, command(h, { text: 'start' }))).toMatchObject({ kind: 'turn', status: 'done' });
    expect(h.fake.served('conversations.open')).toHaveLength(1);
  });

  it('refuses people of another organisation in a shared channel (Slack Connect) and a Grid org that is not ours', async () => {
    const h = await start({ beforeStart: (fake) => (fake.workspace = { team: 'T1', enterprise: 'E1' }) });
    const before = h.fake.calls.length;
    const mention = {
      type: 'app_mention',
      channel: 'CSHARED',
      user: 'UEXT',
      user_team: 'T0OTHER',
      text: `<@${BOT_USER_ID}> start`,
      ts: '1.1',
    };
    expect(await send(h, () => h.slack.event(mention))).toEqual({ kind: 'refused', reason: 'user-team' });
    const dm = dmMessage('UEXT', 'ciao', { team: 'T0OTHER' });
    expect(await send(h, () => h.slack.event(dm))).toEqual({ kind: 'refused', reason: 'user-team' });
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      enterprise_id: 'E0OTHER',
      event_id: 'EvGRID',
      event: dmMessage('U1', 'ciao'),
    });
    expect(await send(h, () => h.slack.send(body, 'application/json'))).toEqual({
      kind: 'refused',
      reason: 'enterprise',
    });
    expect(callsSince(h, before)).toEqual([]);
    expect(await h.engine.load(key('T1', 'UEXT'))).toBeUndefined();
    expect(await h.engine.load(key('T1', 'U1'))).toBeUndefined();
  });

  it('serves the workspaces SLACK_ALLOWED_TEAMS adds, and still its own', async () => {
    const h = await start({ allowedTeams: ['T2'] });
    expect(await send(h, command(h, { team_id: 'T2', user_id: 'U9', text: 'start' }))).toMatchObject({
      kind: 'turn',
      status: 'done',
    });
    expect(await send(h, () => h.slack.event(dmMessage('U1', 'ciao')))).toMatchObject({ kind: 'turn' });
    expect(await send(h, command(h, { team_id: 'T3', user_id: 'U9', text: 'start' }))).toEqual({
      kind: 'refused',
      reason: 'team',
    });
    expect((await h.engine.load(key('T2', 'U9')))?.revision).toBe(1);
  });

  it('logs a flood of refused requests once, and counts every one', async () => {
    const h = await start();
    for (let n = 0; n < 5; n++) await send(h, command(h, { team_id: 'T0OTHER', user_id: `U${n}`, text: 'start' }));
    expect(h.outcomes.filter((outcome) => outcome.kind === 'refused')).toHaveLength(5);
    const lines = h.logs.filter((entry) => entry.message.includes('refused'));
    expect(lines).toEqual([
      { level: 'warn', fields: { reason: 'team', team: 'T0OTHER' }, message: 'slack: request refused, nothing done' },
    ]);
  });
});
