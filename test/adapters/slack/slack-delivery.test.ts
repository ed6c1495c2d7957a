import { afterEach, describe, expect, it } from '@jest/globals';
import { systemText, type ConversationKey } from '../../../src/engine/index.js';
import { createEchoFlow } from './echo-flow.js';
import { readBlocks } from './read-blocks.js';
import { clickPayload, messagesIn } from './slack-payloads.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';
import { SwitchableStore } from '../../support/switchable-store.js';

const KEY: ConversationKey = { channel: 'slack', tenant: 'T1', user: 'U1' };
const HOSTILE = '<!channel> <@U123> <https://evil.example|click> *bold* &amp;';

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Sends a DM and waits until the bot is done with it (the nth request so far). */
async function say(h: SlackHarness, text: string, user = 'U1'): Promise<void> {
  const before = h.outcomes.length;
  expect((await h.slack.event(dmMessage(user, text))).status).toBe(200);
  await h.outcomesAfter(before + 1);
}

describe('delivery to Slack', () => {
  it('after a 429 the message arrives later, and the ones behind it stay in order', async () => {
    const h = (harness = await SlackHarness.start());
    await say(h, 'ciao');
    h.fake.rateLimit('chat.postMessage', 1, 1);
    await say(h, 'burst');
    const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage').slice(1);
    expect(posts.map((c) => `${c.rateLimited ? '429 ' : ''}${String(c.args.text)}`)).toEqual([
      '429 part 1',
      'part 1',
      'part 2',
      'part 3',
    ]);
    // Retry-After: 1 was honoured (a lower bound: the retry cannot come sooner).
    expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(990);
  });

  it("posts a turn's messages at once, then paces the posts beyond the burst", async () => {
    const h = (harness = await SlackHarness.start({ minPostIntervalMs: 400 }));
    await say(h, 'ciao');
    await say(h, 'burst');
    await say(h, 'burst');
    const at = h.fake.served('chat.postMessage').map((c) => c.at);
    expect(at).toHaveLength(7);
    // Five fit in the bucket (the greeting, a turn, most of the next); then one per interval.
    // Times are when the fake received each post: the bucket counts from when the bot sent it,
    // so HTTP jitter (tens of ms with three Jest workers) is allowed; unpaced, the gaps are ~10 ms.
    expect(at[4] - at[0]).toBeLessThan(300);
    expect(at[5] - at[0]).toBeGreaterThanOrEqual(300);
    expect(at[6] - at[5]).toBeGreaterThanOrEqual(300);
  });

  it('after a click, the last message of a three-message turn is posted within 300 ms, the click marked answered', async () => {
    // The production pace (one post per second per DM), no 429.
    const h = (harness = await SlackHarness.start({ minPostIntervalMs: 1000 }));
    await say(h, 'ciao');
    await say(h, 'ask');
    const click = clickPayload(messagesIn(h.fake, 'DU1'), 'Three', {
      team: 'T1',
      user: 'U1',
      responseUrl: `${h.fake.origin}/respond/1`,
    });
    const clickedAt = Date.now();
    await h.slack.interaction(click);
    await h.outcomesAfter(3);
    const posts = h.fake.served('chat.postMessage').slice(2);
    expect(posts.map((c) => String(c.args.text))).toEqual(['part 1', 'part 2', 'part 3']);
    const lastAfterMs = posts[2].at - clickedAt;
    console.log(`[figure] slack click to last of 3 posts (ms): ${lastAfterMs}`);
    // A generous functional bound (the old 1/s pacing took over 2 s), not a benchmark.
    expect(lastAfterMs).toBeLessThanOrEqual(300);
    expect(h.fake.served('chat.update')).toHaveLength(1);
  });

  it('posts reminders to the stored DM, with no Slack request in flight', async () => {
    const h = (harness = await SlackHarness.start());
    await say(h, 'ciao');
    await say(h, 'remind');
    h.clock.advance(60_000);
    expect(await h.runner.runDue()).toBe(1);
    expect(h.posted('DU1')).toEqual(['hello (it)', 'reminder r1']);
  });

  it('skips helpdesk messages, opens the DM when no reference is stored, refuses other channels', async () => {
    const h = (harness = await SlackHarness.start());
    const delivery = { key: { ...KEY, user: 'U7' }, conversationId: 'slack:T1:U7', reference: undefined };
    await h.channel.deliver({ ...delivery, message: { kind: 'handoff.relay', text: 'for the agents' } });
    await h.channel.deliver({ ...delivery, message: { kind: 'prompt', step: 'tsid.intro', text: 'Ciao!' } });
    await h.channel.deliver({ ...delivery, message: { kind: 'agent.text', agentName: 'Giulia', text: 'Eccomi' } });
    expect(h.fake.served('conversations.open').map((c) => c.args.users)).toEqual(['U7']);
    expect(h.fake.served('chat.postMessage').map((c) => [c.args.channel, readBlocks(c.args.blocks).text])).toEqual([
      ['DU7', 'Ciao!'],
      ['DU7', 'Giulia: Eccomi'],
    ]);
    expect(h.fake.served('chat.postMessage')[0].args).toMatchObject({
      unfurl_links: 'false',
      unfurl_media: 'false',
      mrkdwn: 'false',
    });
    const teams = {
      ...delivery,
      key: { channel: 'teams' as const, tenant: 't', user: 'u' },
      message: { kind: 'prompt' as const, step: 's', text: 'x' },
    };
    await expect(h.channel.deliver(teams)).rejects.toMatchObject({ code: 'tsid_delivery_failed' });
  });

  it('passes a Slack error on, so the outbox keeps the message for a retry', async () => {
    const h = (harness = await SlackHarness.start());
    h.fake.fail('chat.postMessage', 'channel_not_found');
    const delivery = { key: KEY, conversationId: 'slack:T1:U1', reference: { channel: 'DU1', team: 'T1' } };
    await expect(h.channel.deliver({ ...delivery, message: { kind: 'prompt', step: 's', text: 'x' } })).rejects.toThrow(
      'channel_not_found',
    );
  });

  it('when the store is down, tells the user to retry in their language; the same event later works', async () => {
    const store = new SwitchableStore();
    const h = (harness = await SlackHarness.start({ store: () => store }));
    h.fake.locales.set('U1', 'en-US');
    store.down = true;
    const event = dmMessage('U1', 'ciao');
    await h.slack.event(event, { eventId: 'EvDOWN' });
    const [failed] = await h.outcomesAfter(1);
    expect(failed).toEqual({ kind: 'failed', code: 'tsid_store_unavailable', conversationId: 'slack:T1:U1' });
    expect(h.posted('DU1')).toEqual([systemText('retryLater', 'en')]);
    expect(h.logs.filter((l) => l.level === 'error').map((l) => l.fields)).toEqual([
      { code: 'tsid_store_unavailable', conversationId: 'slack:T1:U1' },
    ]);
    store.down = false;
    await h.slack.event(event, { eventId: 'EvDOWN' }, { retryNum: 1 });
    await h.outcomesAfter(2);
    expect(h.posted('DU1')).toEqual([systemText('retryLater', 'en'), 'hello (en)']);
  });

  it('answers a channel mention in the DM, never in the channel', async () => {
    const h = (harness = await SlackHarness.start());
    const mention = {
      type: 'app_mention',
      channel: 'C9',
      user: 'U1',
      text: '<@UBOT> ciao',
      ts: '1.1',
      event_ts: '1.1',
    };
    expect((await h.slack.event(mention)).status).toBe(200);
    await h.outcomesAfter(1);
    expect(h.fake.served('conversations.open').map((c) => c.args.users)).toEqual(['U1']);
    expect(h.fake.served('chat.postMessage').map((c) => c.args.channel)).toEqual(['DU1']);
  });

  it('runs /tsid commands in the DM and answers a bad one with the usage, privately', async () => {
    const h = (harness = await SlackHarness.start());
    const respondUrl = `${h.fake.origin}/respond/cmd`;
    await h.slack.command({ text: 'start', channel_id: 'C9', response_url: respondUrl });
    await h.outcomesAfter(1);
    await h.slack.command({ text: 'stato', channel_id: 'C9', response_url: respondUrl });
    await h.outcomesAfter(2);
    await h.slack.command({ text: 'lingua fr', response_url: respondUrl });
    await h.outcomesAfter(3);
    expect(h.posted('DU1')).toEqual(['hello (it)', 'got cmd.status']);
    expect(h.fake.served('respond').map((c) => c.args)).toEqual([
      { response_type: 'ephemeral', text: 'Uso: /tsid start | status | restart | agent | lingua it|en | help' },
    ]);
  });

  it('takes the language from users.info, asks once per user, Italian when unknown', async () => {
    const h = (harness = await SlackHarness.start());
    h.fake.locales.set('U1', 'en-GB');
    h.fake.locales.set('U2', 'de-DE');
    await say(h, 'hi', 'U1');
    await say(h, 'again', 'U1');
    await say(h, 'hallo', 'U2');
    expect(h.posted('DU1')).toEqual(['hello (en)', 'you said: again']);
    expect(h.posted('DU2')).toEqual(['hello (it)']);
    expect(h.fake.served('users.info').map((c) => c.args)).toEqual([
      { user: 'U1', include_locale: 'true' },
      { user: 'U2', include_locale: 'true' },
    ]);
  });

  it('shows App Home: the step and each company, a hostile name inert; an invitation before the start', async () => {
    const h = (harness = await SlackHarness.start({ flow: createEchoFlow(HOSTILE) }));
    const opened = (user: string, tab = 'home') =>
      h.slack.event({ type: 'app_home_opened', user, channel: `D${user}`, tab, event_ts: '1.1' });
    await opened('U1');
    await h.outcomesAfter(1);
    await say(h, 'ciao');
    await opened('U1', 'messages');
    await opened('U1');
    await h.outcomesAfter(3);
    const views = h.fake.served('views.publish');
    expect(views.map((c) => c.args.user_id)).toEqual(['U1', 'U1']);
    const texts = (view: unknown) => JSON.stringify(view);
    expect(texts(views[0].args.view)).toContain('/tsid start');
    const home = views[1].args.view as { type: string; blocks: unknown[] };
    expect(home.type).toBe('home');
    expect(texts(home)).toContain(JSON.stringify(`${HOSTILE} (P. IVA IT01234567890)`));
    expect(texts(home)).not.toContain('mrkdwn');
  });
});
