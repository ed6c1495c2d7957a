import type { Activity } from 'botbuilder';
import { shownText } from './inert.js';
import type { HelpdeskCard } from '../../../adapters/teams/helpdesk-card.js';
import type { InboundEvent } from '../../../src/engine/index.js';
import type { BotOutput } from '../../transcripts/driver.js';
import type { CapturedActivity } from './fake-connector.js';
import { BOT, TENANT, type TeamsHarness } from './teams-harness.js';

export const HELPDESK_CHANNEL = '19:helpdesk@thread.tacv2';
export const TEAM_ID = '19:team-general@thread.tacv2';

/** The Teams user the transcripts' agent `Name` is, posting in the helpdesk channel. */
export const teamsAgent = (name: string) => ({
  id: `29:agent-${name.toLowerCase()}`,
  aadObjectId: `aad-agent-${name.toLowerCase()}`,
  name,
});

/** A card as a helpdesk member reads it: its TextBlocks, Markdown escapes undone. */
export function readHelpdeskCard(activity: Record<string, unknown>): BotOutput {
  const card = (activity.attachments as { content: HelpdeskCard }[] | undefined)?.[0]?.content;
  if (!card) throw new Error(`not a card: ${JSON.stringify(activity).slice(0, 200)}`);
  const text = card.body.flatMap((block) => (block.type === 'TextBlock' ? [shownText(block.text)] : [])).join(' ');
  return {
    audience: 'helpdesk',
    text: text.replace(/\s+/g, ' ').trim(),
    choices: (card.actions ?? []).map((action) => action.title),
    links: [],
  };
}

/**
 * An agent working the Teams helpdesk channel for the transcripts: `! agent …` lines become
 * activities from the channel (card buttons, replies in the hand-off's reply chain) sent
 * to the real CloudAdapter; reads back what the bot posted in the channel.
 */
export class TeamsHelpdeskAgent {
  private drained = 0;
  private nextId = 0;

  constructor(private readonly harness: TeamsHarness) {}

  async act(event: InboundEvent): Promise<void> {
    const { agentName } = event as { agentName: string };
    const post = this.newestPost();
    switch (event.type) {
      case 'agent.accepted':
        return this.send(post, { value: { tsid: 'handoff', op: 'take' }, replyToId: post.id }, ['done'], agentName);
      case 'agent.closed':
        return this.send(post, { value: { tsid: 'handoff', op: 'close' }, replyToId: post.id }, ['done'], agentName);
      case 'agent.handback':
        return this.send(
          post,
          { value: { tsid: 'handoff', op: 'handback', handbackStep: event.step }, replyToId: post.id },
          ['done', 'rejected'],
          agentName,
        );
      case 'agent.text': {
        const mention = { type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: { id: BOT.id, name: BOT.name } };
        return this.send(
          post,
          { text: `<at>${BOT.name}</at> ${event.text}`, entities: [mention] },
          ['done'],
          agentName,
        );
      }
      default:
        throw new Error(`not an agent action: ${event.type}`);
    }
  }

  /** What the bot posted in the helpdesk channel since the last call. */
  drain(): BotOutput[] {
    const posted = this.harness.fake
      .posted()
      .filter((entry) => entry.conversationId.startsWith(HELPDESK_CHANNEL) && entry.seq > this.drained);
    this.drained = Math.max(this.drained, ...posted.map((entry) => entry.seq));
    return posted.map((entry) => readHelpdeskCard(entry.activity));
  }

  /** The newest hand-off post (the root of a reply chain in the channel). */
  newestPost(): CapturedActivity {
    const post = this.harness.fake
      .posted()
      .filter((entry) => entry.conversationId === `${HELPDESK_CHANNEL};messageid=${entry.id}`)
      .at(-1);
    if (!post) throw new Error('no hand-off post in the helpdesk channel');
    return post;
  }

  /** An activity in the post's reply chain from the agent; the bot's outcome must be one of `expected`. */
  async send(post: CapturedActivity, fields: Partial<Activity>, expected: string[], agentName?: string): Promise<void> {
    const name = agentName ?? 'Agent';
    const before = this.harness.helpdeskOutcomes.length;
    this.nextId += 1;
    const activity: Partial<Activity> = {
      type: 'message',
      id: `hd-${this.nextId}`,
      channelId: 'msteams',
      serviceUrl: this.harness.fake.serviceUrl,
      from: teamsAgent(name),
      recipient: { ...BOT },
      conversation: { id: post.conversationId, conversationType: 'channel', tenantId: TENANT, isGroup: true, name: '' },
      channelData: { channel: { id: HELPDESK_CHANNEL }, team: { id: TEAM_ID }, tenant: { id: TENANT } },
      ...fields,
    };
    const response = await this.harness.post(activity);
    if (response.status !== 200) throw new Error(`/api/messages answered ${response.status}: ${response.body}`);
    const outcome = this.harness.helpdeskOutcomes[before];
    if (!outcome || !expected.includes(outcome.status))
      throw new Error(`the agent action ended ${JSON.stringify(outcome)}`);
  }
}
