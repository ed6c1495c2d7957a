import { randomUUID } from 'node:crypto';
import type { InboundEvent } from '../../../src/engine/index.js';
import { HANDOFF_ACTIONS } from '../../../adapters/slack/helpdesk-render.js';
import type { BotOutput } from '../../transcripts/driver.js';
import { BOT_USER_ID } from './fake-slack-api.js';
import { readBlocks } from './read-blocks.js';
import { slackEscaped } from './signed-request.js';
import type { SlackHarness } from './slack-harness.js';
import { messagesIn, type ShownMessage } from './slack-payloads.js';

export const HELPDESK_CHANNEL = 'CHELPDESK';
export const TEAM = 'T1';

/** The Slack user id the transcripts' agent `Name` has (a member of the helpdesk channel). */
export const agentId = (name: string) => `UAGENT${name.toUpperCase()}`;

/**
 * An agent working the Slack helpdesk for the transcripts: `! agent …` lines become real,
 * signed requests: a click on the hand-off post's controls or a reply in its thread.
 * Reads back what the bot posted in the helpdesk channel (posts and thread replies).
 */
export class SlackHelpdeskAgent {
  private drained = 0;

  constructor(private readonly harness: SlackHarness) {
    harness.fake.members.set(HELPDESK_CHANNEL, new Set());
  }

  /** Performs an `agent.*` event as the agent would; resolves once the bot is done with it. */
  async act(event: InboundEvent): Promise<void> {
    if (!event.type.startsWith('agent.') || event.type === 'agent.timeout')
      throw new Error(`not an agent action: ${event.type}`);
    const { agentName } = event as { agentName: string };
    this.harness.fake.members.get(HELPDESK_CHANNEL)!.add(agentId(agentName));
    const post = this.newestPost();
    switch (event.type) {
      case 'agent.accepted':
        return this.click(post, agentName, HANDOFF_ACTIONS.take, ['done']);
      case 'agent.closed':
        return this.click(post, agentName, HANDOFF_ACTIONS.close, ['done']);
      case 'agent.handback':
        return this.click(post, agentName, HANDOFF_ACTIONS.handBack, ['done', 'rejected'], event.step);
      case 'agent.text': {
        const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
        const message = {
          type: 'message',
          channel: HELPDESK_CHANNEL,
          channel_type: 'channel',
          user: agentId(agentName),
          text: slackEscaped(event.text),
          ts,
          thread_ts: post.ts,
        };
        return this.roundTrip(() => this.harness.slack.event(message, { team: TEAM }), ['done']);
      }
      default:
        throw new Error(`not an agent action: ${event.type}`);
    }
  }

  /** What the bot posted in the helpdesk channel since the last call (posts and thread replies). */
  drain(): BotOutput[] {
    const posts = this.harness.fake.served('chat.postMessage').filter((call) => call.args.channel === HELPDESK_CHANNEL);
    const fresh = posts.slice(this.drained);
    this.drained = posts.length;
    return fresh.map((call) => ({ ...readBlocks(call.args.blocks), audience: 'helpdesk' as const }));
  }

  /** The newest hand-off post, as it reads now. */
  newestPost(): ShownMessage {
    const posts = messagesIn(this.harness.fake, HELPDESK_CHANNEL).filter((message) =>
      JSON.stringify(message.blocks).includes('handoff.title'),
    );
    const post = posts.at(-1);
    if (!post) throw new Error('no hand-off post in the helpdesk channel');
    return post;
  }

  /** Clicks a control of the post as agent `agentName`; the outcome must be one of `expected`. */
  async click(
    post: ShownMessage,
    agentName: string,
    actionId: string,
    expected: string[],
    step?: string,
  ): Promise<void> {
    const blocks = post.blocks as { block_id?: string; elements?: { action_id: string }[] }[];
    const control = blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === actionId);
    if (!control) throw new Error(`the hand-off post has no ${actionId} control (any more)`);
    const action = {
      ...control,
      block_id: 'handoff.actions',
      action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      ...(step ? { selected_option: { text: { type: 'plain_text', text: step }, value: step } } : {}),
    };
    const payload = {
      type: 'block_actions',
      user: { id: agentId(agentName), username: agentName.toLowerCase(), name: agentName, team_id: TEAM },
      api_app_id: 'A1',
      token: 'legacy-token',
      container: { type: 'message', message_ts: post.ts, channel_id: HELPDESK_CHANNEL, is_ephemeral: false },
      trigger_id: `trigger.${randomUUID()}`,
      team: { id: TEAM, domain: 'example' },
      channel: { id: HELPDESK_CHANNEL, name: 'helpdesk' },
      message: { type: 'message', user: BOT_USER_ID, ts: post.ts, text: post.text, blocks: post.blocks },
      response_url: `${this.harness.fake.origin}/respond/${randomUUID()}`,
      actions: [action],
    };
    await this.roundTrip(() => this.harness.slack.interaction(payload), expected);
  }

  private async roundTrip(send: () => Promise<{ status: number }>, expected: string[]): Promise<void> {
    const before = this.harness.outcomes.length;
    const response = await send();
    if (response.status !== 200) throw new Error(`Slack request refused: HTTP ${response.status}`);
    const [outcome] = (await this.harness.outcomesAfter(before + 1)).slice(before);
    const status = outcome && 'status' in outcome ? outcome.status : outcome?.kind;
    if (!expected.includes(String(status))) throw new Error(`the agent action ended ${JSON.stringify(outcome)}`);
  }
}
