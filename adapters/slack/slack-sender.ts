import { webApi } from '@slack/bolt';
import { AppError } from '../../src/errors.js';
import type { Delivery, PromptMessage } from '../../src/engine/index.js';
import { ChannelQueue } from './channel-queue.js';
import { renderAnswered, renderMessage, renderText, type SlackMessage } from './render-blocks.js';
import { assertEncodable, slackRejection } from './slack-rejection.js';

/** What is stored with a Slack conversation: where to post to reach the customer. */
export interface SlackReference {
  /** The DM channel between the bot and the customer. */
  channel: string;
  team: string;
}

/** Reads a stored reference back; undefined when it is not one of ours. */
export function asSlackReference(value: unknown): SlackReference | undefined {
  const { channel, team } = (value ?? {}) as Partial<SlackReference>;
  return typeof channel === 'string' && typeof team === 'string' ? { channel, team } : undefined;
}

/** A clicked message: where it is, and the choice id the click carried. */
export interface SlackClick {
  channel: string;
  ts: string;
  choiceId: string;
}

export interface SlackSenderOptions {
  /** Sustained pace of posts to one channel: one per this many ms (default 1000). */
  minPostIntervalMs?: number;
  /** Posts to one channel allowed at once before the pace applies (default 5). */
  postBurst?: number;
  /** Rate-limited retries of one post (default 5). */
  maxRateLimitRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Everything the bot posts to Slack. Posts to a channel go out in order (a burst of up to
 * `postBurst`, then one per second), and a 429
 * is waited out (`Retry-After`) and retried: the client must be built with
 * `rejectRateLimitedCalls: true`, so the wait is per channel, not for the whole client.
 */
export class SlackSender {
  private readonly queue: ChannelQueue;
  private readonly dms = new Map<string, string>();
  /** What this instance posted, by `channel:ts` (bounded): an answered message keeps all of its turn. */
  private readonly shown = new Map<string, SlackMessage>();

  constructor(
    private readonly client: webApi.WebClient,
    options: SlackSenderOptions = {},
  ) {
    this.queue = new ChannelQueue({
      minIntervalMs: options.minPostIntervalMs ?? 1000,
      // A turn is one message (src/engine/one-message.ts); a burst of five lets a quick
      // customer's first turns out at once before the one-per-second pace applies.
      burst: options.postBurst ?? 5,
      maxRetries: options.maxRateLimitRetries,
      sleep: options.sleep,
      retryDelayMs: (error) =>
        error instanceof Error && (error as webApi.WebAPIRateLimitedError).code === webApi.ErrorCode.RateLimitedError
          ? (error as webApi.WebAPIRateLimitedError).retryAfter * 1000
          : undefined,
    });
  }

  /**
   * The engine's Deliver for Slack conversations. Helpdesk messages are not ours
   * (main.ts routes them to the hand-off) and are skipped without error.
   */
  readonly deliver = async ({ key, reference, message }: Delivery): Promise<void> => {
    if (message.kind !== 'prompt' && message.kind !== 'agent.text') return;
    if (key.channel !== 'slack') throw new AppError('tsid_delivery_failed', `not a Slack conversation: ${key.channel}`);
    // No reference yet (a guide an agent started): open the DM by user id.
    const dm = asSlackReference(reference)?.channel ?? (await this.openDm(key.tenant, key.user));
    const rendered = renderMessage(message);
    const ts = await this.post(dm, rendered);
    if (ts && message.kind === 'prompt' && message.choices?.length) this.remember(`${dm}:${ts}`, rendered);
  };

  /** Posts rendered blocks to a channel, in order with everything else posted there; the posted `ts`. */
  async post(channel: string, message: SlackMessage): Promise<string | undefined> {
    assertEncodable(message);
    const posted = await this.queue
      .run(channel, () =>
        this.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          mrkdwn: false,
          unfurl_links: false,
          unfurl_media: false,
        }),
      )
      .catch((error: unknown) => {
        throw slackRejection(error);
      });
    return posted.ts;
  }

  /** Posts a plain sentence (the runtime's own words, such as "try again later"). */
  async postText(channel: string, text: string): Promise<void> {
    await this.post(channel, renderText(text));
  }

  /**
   * Replaces a clicked message with its answered version (no buttons left to click), drawn
   * from `question` (the flow's rebuild). Without a question it stays as it is: false.
   */
  async markAnswered(clicked: SlackClick, question: PromptMessage | undefined): Promise<boolean> {
    const answered =
      question && renderAnswered(question, clicked.choiceId, this.shown.get(`${clicked.channel}:${clicked.ts}`));
    if (!answered) return false;
    await this.client.chat.update({ channel: clicked.channel, ts: clicked.ts, ...answered });
    return true;
  }

  /** Shows a user their App Home tab. */
  async publishHome(user: string, view: webApi.ViewsPublishArguments['view']): Promise<void> {
    await this.client.views.publish({ user_id: user, view });
  }

  /** The DM channel with a user, opened once and remembered. */
  async openDm(team: string, user: string): Promise<string> {
    const known = this.dms.get(`${team}:${user}`);
    if (known) return known;
    const opened = await this.client.conversations.open({ users: user });
    const channel = opened.channel?.id;
    if (!channel) throw new AppError('tsid_delivery_failed', 'conversations.open returned no channel');
    if (this.dms.size >= 10_000) this.dms.delete(this.dms.keys().next().value!);
    this.dms.set(`${team}:${user}`, channel);
    return channel;
  }

  private remember(key: string, message: SlackMessage): void {
    if (this.shown.size >= 1000) this.shown.delete(this.shown.keys().next().value!);
    this.shown.set(key, message);
  }

  /** Posts still queued or in flight (0: idle). */
  get pending(): number {
    return this.queue.pending;
  }
}
