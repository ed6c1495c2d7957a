import { afterEach, describe, expect, it } from '@jest/globals';
import type { ConversationEngine, Inbound, TurnHandler } from '../../../src/engine/index.js';
import { dmMessage, sign, SIGNING_SECRET } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';
import { clickPayload, messagesIn } from './slack-payloads.js';

const KEY = { channel: 'slack', tenant: 'T1', user: 'U1' } as const;
const who = (h: SlackHarness) => ({ team: 'T1', user: 'U1', responseUrl: `${h.fake.origin}/respond/1` });
const statuses = (h: SlackHarness) => h.outcomes.map((o) => (o.kind === 'turn' ? o.status : o.kind)).sort();

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('Slack requests over HTTP', () => {
  it('refuses forged, unsigned, too old and future requests with 401 and runs no turn', async () => {
    const h = (harness = await SlackHarness.start());
    const now = Math.floor(Date.now() / 1000);
    const event = dmMessage('U1', 'ciao');
    expect((await h.slack.event(event, {}, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await h.slack.event(event, {}, { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await h.slack.event(event, {}, { timestamp: now + 6 * 60 })).status).toBe(401);
    const body = JSON.stringify({ type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event });
    const unsigned = await fetch(`${h.slack.base}/slack/events`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.status).toBe(401);
    const tampered = await fetch(`${h.slack.base}/slack/events`, {
      method: 'POST',
      body: body.replace('ciao', 'ciao!'),
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': sign(SIGNING_SECRET, now, body),
      },
    });
    expect(tampered.status).toBe(401);
    // A request inside the window is served: the refusals above were about the requests.
    expect((await h.slack.event(event, {}, { timestamp: now - 4 * 60 })).status).toBe(200);
    await h.outcomesAfter(1);
    expect(statuses(h)).toEqual(['done']);
    expect((await h.engine.load(KEY))?.revision).toBe(1);
    expect(h.fake.served('chat.postMessage')).toHaveLength(1);
  });

  it('answers url_verification', async () => {
    const h = (harness = await SlackHarness.start());
    const response = await h.slack.send(
      JSON.stringify({ type: 'url_verification', challenge: 'c-123' }),
      'application/json',
    );
    expect(response).toEqual({ status: 200, text: '{"challenge":"c-123"}' });
  });

  it('answers an event once however often Slack retries it (X-Slack-Retry-Num)', async () => {
    const h = (harness = await SlackHarness.start());
    const event = dmMessage('U1', 'ciao');
    const responses = await Promise.all(
      [undefined, 1, 2, 3].map((retryNum) => h.slack.event(event, { eventId: 'EvRETRY' }, { retryNum })),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await h.outcomesAfter(4);
    expect(statuses(h)).toEqual(['done', 'duplicate', 'duplicate', 'duplicate']);
    expect(h.posted('DU1')).toEqual(['hello (it)']);
  });

  it('makes a double click one turn, and updates the clicked message once', async () => {
    const h = (harness = await SlackHarness.start());
    await h.slack.event(dmMessage('U1', 'ciao'));
    await h.outcomesAfter(1);
    const yes = clickPayload(messagesIn(h.fake, 'DU1'), 'Yes', who(h));
    const no = clickPayload(messagesIn(h.fake, 'DU1'), 'Unlink ACME', who(h));
    const responses = await Promise.all([h.slack.interaction(yes), h.slack.interaction(yes), h.slack.interaction(no)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await h.outcomesAfter(4);
    expect(statuses(h)).toEqual(['done', 'done', 'duplicate', 'duplicate']);
    expect((await h.engine.load(KEY))?.revision).toBe(2);
    expect(h.posted('DU1')).toHaveLength(2);
    expect(h.fake.served('chat.update')).toHaveLength(1);
    // The clicked message has no buttons left to click, and says what was answered.
    expect(() => clickPayload(messagesIn(h.fake, 'DU1').slice(0, 1), 'Yes', who(h))).toThrow('no button');
  });

  it('acknowledges a link-button click without a turn, leaving the choices clickable', async () => {
    const h = (harness = await SlackHarness.start());
    await h.slack.event(dmMessage('U1', 'ciao'));
    await h.outcomesAfter(1);
    const click = clickPayload(messagesIn(h.fake, 'DU1'), 'Yes', who(h));
    const message = click.message as { blocks: { block_id?: string; elements?: Record<string, unknown>[] }[] };
    const link = message.blocks.find((b) => b.block_id === 'links')!.elements![0];
    expect(
      (await h.slack.interaction({ ...click, actions: [{ ...link, block_id: 'links', action_ts: '1.2' }] })).status,
    ).toBe(200);
    await h.outcomesAfter(2);
    expect(h.outcomes[1]).toEqual({ kind: 'ignored', reason: 'link' });
    expect(h.fake.served('chat.update')).toHaveLength(0);
    expect(() => clickPayload(messagesIn(h.fake, 'DU1'), 'Yes', who(h))).not.toThrow();
  });

  it('ignores bots, its own messages, edits and deletions', async () => {
    const h = (harness = await SlackHarness.start());
    const ignored = [
      dmMessage('U1', 'from a bot', { bot_id: 'B2', subtype: 'bot_message' }),
      dmMessage('UBOT', 'our own', { bot_id: 'BBOT' }),
      dmMessage('U1', '', { subtype: 'message_changed', user: undefined, message: { user: 'U1', text: 'edited' } }),
      dmMessage('U1', '', { subtype: 'message_deleted', user: undefined }),
      dmMessage('U1', 'edited', { edited: { user: 'U1', ts: '1.2' } }),
    ];
    for (const event of ignored) expect((await h.slack.event(event)).status).toBe(200);
    // Bolt's own ignoreSelf middleware drops our own message before any listener: 4 outcomes.
    await h.outcomesAfter(4);
    await h.slack.event(dmMessage('U1', 'ciao'));
    await h.outcomesAfter(5);
    expect(statuses(h)).toEqual(['done', 'ignored', 'ignored', 'ignored', 'ignored']);
    expect(h.posted('DU1')).toEqual(['hello (it)']);
    expect((await h.engine.load(KEY))?.revision).toBe(1);
  });

  it('acknowledges events, commands and clicks while the turn is still running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let blocking = false;
    const slowTurns = (engine: ConversationEngine): TurnHandler => ({
      handle: async (inbound: Inbound) => {
        if (blocking) await gate;
        return engine.handle(inbound);
      },
      status: (key) => engine.status(key),
    });
    const h = (harness = await SlackHarness.start({ wrapTurns: slowTurns }));
    await h.slack.event(dmMessage('U1', 'ciao'));
    await h.outcomesAfter(1);
    blocking = true;
    const click = clickPayload(messagesIn(h.fake, 'DU1'), 'Yes', who(h));
    const responses = await Promise.all([
      h.slack.event(dmMessage('U1', 'still there?')),
      h.slack.command({ text: 'status' }),
      h.slack.interaction(click),
    ]);
    // Every turn is parked on the gate, yet Slack already has its 200s.
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.outcomes).toHaveLength(1);
    release();
    await h.outcomesAfter(4);
    expect(statuses(h)).toEqual(['done', 'done', 'done', 'done']);
  });
});
