import { afterEach, describe, expect, it } from '@jest/globals';
import { HANDOFF_ACTIONS } from '../../../adapters/slack/helpdesk-render.js';
import { STEP_IDS } from '../../../flows/tsid-digital-invoice/index.js';
import { HandoffService, MemoryHandoffStore } from '../../../src/handoff/index.js';
import { transcriptFlow } from '../../transcripts/flow-for-transcripts.js';
import { dmMessage } from './signed-request.js';
import { SlackHarness, type HarnessOptions } from './slack-harness.js';
import { agentId, HELPDESK_CHANNEL, SlackHelpdeskAgent } from './slack-helpdesk-agent.js';

let harness: SlackHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(options: Pick<HarnessOptions, 'helpdeskMemberCacheMs' | 'now'> = {}) {
  const handoff = new HandoffService({ store: new MemoryHandoffStore(), steps: STEP_IDS });
  harness = await SlackHarness.start({
    flow: transcriptFlow({}),
    helpdesk: { channel: HELPDESK_CHANNEL, handoff },
    ...options,
  });
  const agent = new SlackHelpdeskAgent(harness);
  harness.fake.members.get(HELPDESK_CHANNEL)!.add(agentId('Giulia')).add(agentId('Marco'));
  const h = harness;
  const say = async (text: string) => {
    const before = h.outcomes.length;
    await h.slack.event(dmMessage('U1', text));
    await h.outcomesAfter(before + 1);
  };
  return { harness: h, agent, say };
}

/** Every Block Kit text object in a message, wherever it sits. */
function textObjects(value: unknown): { type: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (value === null || typeof value !== 'object') return [];
  const object = value as Record<string, unknown>;
  const own =
    (object.type === 'plain_text' || object.type === 'mrkdwn') && typeof object.text === 'string'
      ? [object as { type: string; text: string }]
      : [];
  return [...own, ...Object.values(object).flatMap(textObjects)];
}

const HOSTILE = '<!channel> guarda <https://evil.example|qui> *subito* <@U999> &lt;!here&gt;';
const dmTexts = (h: SlackHarness) => h.posted('DU1');

describe('the Slack helpdesk', () => {
  it('renders everything the customer typed inert in the hand-off post and its thread', async () => {
    const { harness: h, say } = await start();
    await say('ciao');
    await say(HOSTILE);
    await say('operatore');
    await say(HOSTILE);
    const posts = h.fake.served('chat.postMessage').filter((call) => call.args.channel === HELPDESK_CHANNEL);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(String(post.args.mrkdwn)).toBe('false'); // form-encoded by the Web API client
      expect(String(post.args.text)).not.toMatch(/[<>]/);
      const texts = textObjects(post.args.blocks);
      expect(texts.length).toBeGreaterThan(0);
      expect(texts.filter((t) => t.type !== 'plain_text')).toEqual([]);
      // As the customer typed it, shown verbatim: no ping, no mention, no link.
      expect(texts.map((t) => t.text).join('\n')).toContain('@channel guarda qui *subito* @U999 <!here>');
    }
    expect(posts[1].args.thread_ts).toBe(
      h.fake.served('chat.postMessage').find((c) => c.args.channel === HELPDESK_CHANNEL)!.ts,
    );
  });

  it('refuses a click by someone outside the helpdesk: only they are told, nothing changes', async () => {
    const { harness: h, agent, say } = await start();
    await say('ciao');
    await say('operatore');
    const dmBefore = dmTexts(h).length;
    await agent.click(agent.newestPost(), 'Stranger', HANDOFF_ACTIONS.take, ['refused']);
    await agent.click(agent.newestPost(), 'Stranger', HANDOFF_ACTIONS.handBack, ['refused'], 'tsid.login');
    await agent.click(agent.newestPost(), 'Stranger', HANDOFF_ACTIONS.close, ['refused']);
    const ephemeral = h.fake.served('chat.postEphemeral');
    expect(ephemeral.map((call) => [call.args.user, call.args.text])).toEqual(
      Array(3).fill([agentId('Stranger'), 'Only helpdesk agents can act on hand-offs.']),
    );
    expect(h.fake.served('chat.update').filter((call) => call.args.channel === HELPDESK_CHANNEL)).toEqual([]);
    expect(dmTexts(h).length).toBe(dmBefore);
    expect((await h.engine.status({ channel: 'slack', tenant: 'T1', user: 'U1' }))?.step).toBe('tsid.intro');
  });

  it('takes agent rights from someone removed from the helpdesk channel once the member cache time has passed', async () => {
    // Slack's clock, ahead of the real one by `skew`: the signed requests stay inside Slack's 5-minute window.
    let skew = 0;
    const { harness: h, agent, say } = await start({ helpdeskMemberCacheMs: 60_000, now: () => Date.now() + skew });
    await say('ciao');
    await say('operatore');
    await agent.click(agent.newestPost(), 'Marco', HANDOFF_ACTIONS.take, ['done']);
    h.fake.members.get(HELPDESK_CHANNEL)!.delete(agentId('Marco'));
    skew = 61_000;
    await agent.click(agent.newestPost(), 'Marco', HANDOFF_ACTIONS.close, ['refused']);
    expect(h.fake.served('chat.postEphemeral').map((call) => [call.args.user, call.args.text])).toEqual([
      [agentId('Marco'), 'Only helpdesk agents can act on hand-offs.'],
    ]);
    expect(h.fake.served('conversations.members')).toHaveLength(2);
  });

  it('gives the hand-off to one of two agents clicking at once; the other is told who has it', async () => {
    const { harness: h, agent, say } = await start();
    await say('ciao');
    await say('operatore');
    const post = agent.newestPost();
    await Promise.all([
      agent.click(post, 'Giulia', HANDOFF_ACTIONS.take, ['done', 'refused']),
      agent.click(post, 'Marco', HANDOFF_ACTIONS.take, ['done', 'refused']),
    ]);
    // Both clicks were in flight together: wait for both outcomes, not just the first one.
    const helpdeskOutcomes = () => h.outcomes.flatMap((o) => (o.kind === 'helpdesk' ? [o.status] : []));
    await h.fake.waitFor(() => helpdeskOutcomes().length >= 2, 'both clicks handled');
    const statuses = helpdeskOutcomes().sort();
    expect(statuses).toEqual(['done', 'refused']);
    const accepted = dmTexts(h).filter((text) => text.includes("dell'assistenza è con te ora"));
    expect(accepted).toHaveLength(1);
    const owner = accepted[0].startsWith('Giulia') ? 'Giulia' : 'Marco';
    const loser = owner === 'Giulia' ? 'Marco' : 'Giulia';
    expect(h.fake.served('chat.postEphemeral').map((c) => [c.args.user, c.args.text])).toEqual([
      [agentId(loser), `${owner} has already taken this hand-off.`],
    ]);
    const update = h.fake.served('chat.update').find((call) => call.args.channel === HELPDESK_CHANNEL)!;
    expect(JSON.stringify(update.args.blocks)).toContain(`Taken by ${owner}.`);
    expect(JSON.stringify(update.args.blocks)).not.toContain(HANDOFF_ACTIONS.take);
  });

  it("/tsid start @user step: a helpdesk member opens the guide in that user's DM at the step; anyone else is refused", async () => {
    const { harness: h } = await start();
    const command = async (user: string, text: string) => {
      const before = h.outcomes.length;
      await h.slack.command({
        user_id: user,
        user_name: user.toLowerCase(),
        text,
        channel_id: HELPDESK_CHANNEL,
        response_url: `${h.fake.origin}/respond/${user}`,
      });
      await h.outcomesAfter(before + 1);
      return h.fake.served('respond').at(-1)?.args.text;
    };
    expect(await command(agentId('Stranger'), 'start <@UANNA|anna> tsid.login')).toBe(
      'Only helpdesk agents can start the guide for someone.',
    );
    expect(h.fake.served('conversations.open')).toEqual([]);
    expect(h.posted('DUANNA')).toEqual([]);
    expect(await command(agentId('Giulia'), 'start <@UANNA|anna> tsid.nowhere')).toBe(
      '"tsid.nowhere" is not a step of the guide.',
    );
    expect(await command(agentId('Giulia'), 'start <@UANNA|anna> tsid.login')).toBe(
      'The guide is open in their direct messages at tsid.login.',
    );
    expect(h.posted('DUANNA')).toEqual([expect.stringContaining('Accedi al portale')]);
    expect((await h.engine.status({ channel: 'slack', tenant: 'T1', user: 'UANNA' }))?.step).toBe('tsid.login');
  });
});
