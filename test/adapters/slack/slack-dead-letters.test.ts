import { afterEach, describe, expect, it } from '@jest/globals';
import { STEP_IDS } from '../../../flows/tsid-digital-invoice/index.js';
import { systemText, UNDELIVERABLE_RELAY } from '../../../src/engine/index.js';
import type { DeadLetterReport } from '../../../src/engine/dead-letters.js';
import { HandoffService, MemoryHandoffStore } from '../../../src/handoff/index.js';
import { MemoryConversationStore } from '../../../src/store/conversation-store.js';
import { transcriptFlow } from '../../transcripts/flow-for-transcripts.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';
import { agentId, HELPDESK_CHANNEL, SlackHelpdeskAgent } from './slack-helpdesk-agent.js';

/** The fake Slack refuses any post holding this (URL-safe, so it survives form encoding). */
const POISON = 'POISON_MARKER';

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A Slack customer handed off to agent Giulia, over signed requests and the fake Web API. */
async function handedOff() {
  const reports: DeadLetterReport[] = [];
  let store: MemoryConversationStore | undefined;
  const handoff = new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS });
  harness = await SlackHarness.start({
    flow: transcriptFlow({}),
    helpdesk: { channel: HELPDESK_CHANNEL, handoff },
    store: (now) => (store = new MemoryConversationStore(now)),
    onDeadLetter: (report) => reports.push(report),
  });
  const h = harness;
  const agent = new SlackHelpdeskAgent(h);
  h.fake.members.get(HELPDESK_CHANNEL)!.add(agentId('Giulia'));
  const say = async (text: string) => {
    const before = h.outcomes.length;
    await h.slack.event(dmMessage('U1', text));
    await h.outcomesAfter(before + 1);
  };
  const reply = (text: string) => agent.act({ type: 'agent.text', agentName: 'Giulia', text });
  await say('ciao');
  await say('operatore');
  await agent.act({ type: 'agent.accepted', agentName: 'Giulia' });
  const thread = () =>
    h.fake
      .served('chat.postMessage')
      .filter((call) => call.args.channel === HELPDESK_CHANNEL && call.args.thread_ts)
      .map((call) => String(call.args.text));
  return { h, say, reply, thread, dm: () => h.posted('DU1'), reports, store: store! };
}

describe('a message Slack refuses for good does not wedge the conversation', () => {
  it('relays: a lone surrogate and a refused text each go to the dead letters; three more messages both ways arrive', async () => {
    const { h, say, reply, thread, dm, reports, store } = await handedOff();
    h.fake.refuseText(POISON, 'invalid_blocks');
    await say('veleno \uD83D');
    await say(`guarda ${POISON}`);
    for (const n of ['uno', 'due', 'tre']) {
      await say(`cliente ${n}`);
      await reply(`agente ${n}`);
    }
    const notes = thread();
    // The surrogate is either made well-formed at the edge (shown with U+FFFD) or refused and replaced by the notice.
    expect(notes.some((note) => note.includes('veleno \uFFFD')) || notes.includes(`Bot: ${UNDELIVERABLE_RELAY}`)).toBe(
      true,
    );
    expect(notes.filter((note) => note.includes(POISON))).toEqual([]);
    expect(notes).toContain(`Bot: ${UNDELIVERABLE_RELAY}`);
    expect(notes.slice(-3)).toEqual(['Customer: cliente uno', 'Customer: cliente due', 'Customer: cliente tre']);
    expect(dm().slice(-3)).toEqual(['Giulia: agente uno', 'Giulia: agente due', 'Giulia: agente tre']);
    expect(reports.map((r) => [r.kind, r.reason, r.notice])).toContainEqual([
      'handoff.relay',
      'slack_invalid_blocks',
      true,
    ]);
    expect(await store.pendingOutbox('slack:T1:U1')).toEqual([]);
    const letters = await store.deadLetters(10);
    expect(letters[0]).toMatchObject({ conversationId: 'slack:T1:U1', code: 'tsid_delivery_rejected' });
    expect(JSON.stringify(letters[0].item)).toContain(POISON);
  });

  it("an agent's reply Slack refuses reaches the customer as a short notice, and the next replies arrive", async () => {
    const { h, reply, dm, reports } = await handedOff();
    h.fake.refuseText(POISON, 'msg_too_long');
    await reply(`leggi ${POISON}`);
    await reply('dopo uno');
    await reply('dopo due');
    expect(dm().slice(-3)).toEqual([systemText('undeliverable', 'it'), 'Giulia: dopo uno', 'Giulia: dopo due']);
    expect(reports.map((r) => [r.kind, r.reason, r.notice])).toEqual([['agent.text', 'slack_msg_too_long', true]]);
  });

  it('a notice refused too is dead-lettered without another notice (no loop)', async () => {
    const { h, reply, dm, reports } = await handedOff();
    h.fake.refuseText(POISON, 'invalid_blocks');
    h.fake.refuseText('scrivimi di nuovo', 'invalid_blocks'); // the Italian notice's own words
    await reply(`leggi ${POISON}`);
    await reply('dopo');
    expect(dm().at(-1)).toBe('Giulia: dopo');
    expect(reports.map((r) => [r.kind, r.notice])).toEqual([
      ['agent.text', true],
      ['prompt', false],
    ]);
  });

  it('a rate limit is waited out and retried, not dead-lettered', async () => {
    const { h, reply, dm, reports } = await handedOff();
    h.fake.rateLimit('chat.postMessage', 1, 0);
    await reply('dopo il limite');
    expect(dm().at(-1)).toBe('Giulia: dopo il limite');
    expect(reports).toEqual([]);
  });
});
