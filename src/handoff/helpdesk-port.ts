import type { ConversationKey, Delivery } from '../engine/index.js';

/** Where a helpdesk lives: a Slack channel or a Teams channel. */
export type HelpdeskPlatform = 'slack' | 'teams';

/** Who pressed a button or wrote in the helpdesk, as the signed request says. */
export interface HelpdeskActor {
  platform: HelpdeskPlatform;
  /** The platform's user id (Slack `U…`, Teams AAD object id or `29:…`). */
  id: string;
  /** What the customer sees as the agent's name. */
  name: string;
  /**
   * Teams: the conversation the activity came from (a helpdesk member is whoever acts in
   * the helpdesk channel). Slack asks the channel's member list instead.
   */
  conversationId?: string;
}

/** A hand-off post in a helpdesk, as the adapter that made it addresses it. */
export interface HelpdeskPost {
  platform: HelpdeskPlatform;
  /** Stable id of the post's thread (Slack `<channel>:<ts>`, Teams the reply chain's conversation id). */
  thread: string;
  /** The adapter's own address of the post (JSON-safe). */
  ref: unknown;
}

/** The hand-off post in channel-neutral form; each adapter renders it (escaping every text). */
export interface HandoffCard {
  /** `hand-off requested (<reason>) at <step>`. */
  title: string;
  /** Customer, platform, language, reason, step, e-mail (masked), companies (VAT masked). */
  facts: { label: string; value: string }[];
  /** What the customer typed last, oldest first, bounded. */
  lastMessages: string[];
  /** Waiting, taken by whom, handed back where, closed. */
  status: string;
  /** Whether the "take" button is offered (nobody has it yet). */
  canTake: boolean;
  /** Whether hand-back and close are offered (the hand-off is still open). */
  open: boolean;
  /**
   * What an agent may hand back to, in guide order: step ids, and `<step>#<index>` for the
   * first company step of each company not active yet when there are several to pick from.
   */
  steps: readonly string[];
  /** How to show a `steps` value that is not a bare step id ("invoice.review-data · Bar Sport"). */
  stepLabels?: Record<string, string>;
}

/** A message in a hand-off's thread: what the customer wrote, or a note from the bot. */
export interface ThreadNote {
  from: 'customer' | 'bot';
  text: string;
}

/**
 * What a helpdesk adapter implements so the hand-off can post there. Every text it gets
 * may hold customer-typed content: the adapter renders all of it inert.
 */
export interface HelpdeskPort {
  readonly platform: HelpdeskPlatform;
  /** Posts a new hand-off card; `customer` is the delivery that asked for it. */
  post(card: HandoffCard, customer: Delivery): Promise<HelpdeskPost>;
  /** Redraws the card (who took it, where it was handed back). */
  update(post: HelpdeskPost, card: HandoffCard): Promise<void>;
  /** Writes into the post's thread (Slack thread, Teams reply chain). */
  reply(post: HelpdeskPost, note: ThreadNote): Promise<void>;
  /** Whether this user belongs to the helpdesk (used when HELPDESK_AGENTS is unset). */
  isMember(actor: HelpdeskActor): Promise<boolean>;
}

/** What became of an agent's action; `message` is for the agent alone (ephemeral). */
export interface ActionOutcome {
  status: 'done' | 'refused' | 'rejected' | 'duplicate' | 'ignored';
  message?: string;
  /** The conversation acted on, when known (logs, tests). */
  key?: ConversationKey;
}
