import { webApi } from '@slack/bolt';
import { AppError } from '../../src/errors.js';
import type { HandoffCard, HelpdeskActor, HelpdeskPort, HelpdeskPost, ThreadNote } from '../../src/handoff/index.js';
import { ChannelQueue } from './channel-queue.js';
import { renderHandoffCard, renderThreadNote } from './helpdesk-render.js';
import type { SlackMessage } from './render-blocks.js';
import { assertEncodable, slackRejection } from './slack-rejection.js';
import { escapeSlackText } from './slack-text.js';

/** Where a hand-off post is in Slack. */
export interface SlackPostRef {
  channel: string;
  ts: string;
}

export interface SlackHelpdeskOptions {
  /** Least time between two posts to the helpdesk channel (default 1000 ms). */
  minPostIntervalMs?: number;
  /** How long the channel's member list is trusted (default 60 s). */
  memberCacheMs?: number;
  now?: () => number;
}

/** The thread id the hand-off service knows a Slack post by. */
export function slackThread(channel: string, ts: string): string {
  return `slack:${channel}:${ts}`;
}

/**
 * The helpdesk in a Slack channel (`SLACK_HELPDESK_CHANNEL`): hand-off posts, their thread,
 * redraws, and who is a member. Posts go out in order, spaced, waiting out rate limits.
 */
export class SlackHelpdesk implements HelpdeskPort {
  readonly platform = 'slack' as const;
  private readonly queue: ChannelQueue;
  private members?: { ids: Set<string>; until: number };

  constructor(
    private readonly client: webApi.WebClient,
    readonly channel: string,
    private readonly options: SlackHelpdeskOptions = {},
  ) {
    this.queue = new ChannelQueue({
      minIntervalMs: options.minPostIntervalMs ?? 1000,
      retryDelayMs: (error) =>
        (error as webApi.WebAPIRateLimitedError | null)?.code === webApi.ErrorCode.RateLimitedError
          ? (error as webApi.WebAPIRateLimitedError).retryAfter * 1000
          : undefined,
    });
  }

  async post(card: HandoffCard): Promise<HelpdeskPost> {
    const sent = await this.send(renderHandoffCard(card));
    if (!sent.ts) throw new AppError('tsid_delivery_failed', 'chat.postMessage returned no ts for the hand-off post');
    const ref: SlackPostRef = { channel: this.channel, ts: sent.ts };
    return { platform: 'slack', thread: slackThread(this.channel, sent.ts), ref };
  }

  async update(post: HelpdeskPost, card: HandoffCard): Promise<void> {
    const { channel, ts } = post.ref as SlackPostRef;
    const message = renderHandoffCard(card);
    await this.queue.run(channel, () =>
      this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }),
    );
  }

  async reply(post: HelpdeskPost, note: ThreadNote): Promise<void> {
    await this.send(renderThreadNote(note), (post.ref as SlackPostRef).ts);
  }

  /** Tells one agent something only they see (a refused action, a hint). */
  async tell(user: string, text: string, threadTs?: string): Promise<void> {
    await this.client.chat.postEphemeral({
      channel: this.channel,
      user,
      text: escapeSlackText(text),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  async isMember(actor: HelpdeskActor): Promise<boolean> {
    const now = (this.options.now ?? Date.now)();
    if (!this.members || this.members.until <= now) {
      this.members = { ids: await this.listMembers(), until: now + (this.options.memberCacheMs ?? 60_000) };
    }
    return this.members.ids.has(actor.id);
  }

  private async listMembers(): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.client.conversations.members({
        channel: this.channel,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const id of page.members ?? []) ids.add(id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return ids;
  }

  private async send(message: SlackMessage, threadTs?: string) {
    assertEncodable(message);
    return this.queue
      .run(this.channel, () =>
        this.client.chat.postMessage({
          channel: this.channel,
          text: message.text,
          blocks: message.blocks,
          mrkdwn: false,
          unfurl_links: false,
          unfurl_media: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        }),
      )
      .catch((error: unknown) => {
        throw slackRejection(error);
      });
  }
}
