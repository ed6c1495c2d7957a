/**
 * The channel-neutral contract between flows, the engine and the adapters.
 * Flows import these types only; adapters render and parse them.
 */

/** Where a conversation lives: one guide per chat user per workspace/tenant. */
export interface ConversationKey {
  channel: 'slack' | 'teams' | 'local';
  /** Slack team id, Teams tenant id, `local` for the terminal and web chat. */
  tenant: string;
  /** The platform's stable user id. */
  user: string;
}

/**
 * Stable string id of a conversation, used by stores and schedulers (and inside Redis key
 * names). Each part is escaped so that no two keys share an id (a tenant never holds a raw
 * `:`) and no id can end a Redis Cluster hash tag (`{`, `}`), a hand-off request id (`#`) or
 * a log line (controls). Real Slack, Teams and web-chat ids need no escape, so their ids are
 * what they always were and stored conversations keep their keys.
 */
export function conversationId(key: ConversationKey): string {
  return `${key.channel}:${escapeIdPart(key.tenant, UNSAFE_IN_TENANT)}:${escapeIdPart(key.user, UNSAFE_IN_USER)}`;
}

/**
 * The key back from a conversation id (the inverse of `conversationId`): the tenant holds no
 * raw `:`, so the id splits at its first two. A stored reminder then needs only the id.
 */
export function conversationKeyOf(id: string): ConversationKey {
  const first = id.indexOf(':');
  const second = id.indexOf(':', first + 1);
  if (first < 0 || second < 0) throw new RangeError('not a conversation id');
  const unescape = (part: string) =>
    part.replace(/%([0-9A-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return {
    channel: id.slice(0, first) as ConversationKey['channel'],
    tenant: unescape(id.slice(first + 1, second)),
    user: unescape(id.slice(second + 1)),
  };
}

// Everything but the characters platform ids are made of; the user may hold `:` (Teams `29:…`).
const UNSAFE_IN_TENANT = /[^A-Za-z0-9._@+=/-]/g;
const UNSAFE_IN_USER = /[^A-Za-z0-9._@+=/:-]/g;

/** `%` and four hex digits a UTF-16 unit: fixed width, so the escape is one-to-one (lone surrogates too). */
function escapeIdPart(part: string, unsafe: RegExp): string {
  return part.replace(unsafe, (unit) => `%${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

export type Locale = 'it' | 'en';

/** A one-time code kept only as a salted SHA-256, so a stored conversation does not reveal it. */
export interface HashedLoginCode {
  salt: string;
  hash: string;
}

/** Events a flow receives. Adapters produce the `user.*` ones, the runtime the rest. */
export type InboundEvent =
  | { type: 'user.text'; text: string }
  /** A button click, or typed text the flow matched to a choice (`text` then holds it). */
  | { type: 'user.choice'; choiceId: string; text?: string }
  | { type: 'session.start'; step?: string }
  | { type: 'cmd.agent' }
  | { type: 'cmd.status' }
  | { type: 'cmd.restart' }
  | { type: 'cmd.language'; locale: Locale }
  | { type: 'cmd.stop' }
  | { type: 'cmd.erase' }
  | { type: 'cmd.help' }
  | {
      type: 'auth.completed';
      issuer: string;
      subject: string;
      email: string;
      emailVerified: boolean;
      /**
       * The one-time code the sign-in's browser page shows, salted and hashed
       * (src/contract/login-code.ts); absent only for the local chat's `/login`.
       */
      code?: HashedLoginCode;
    }
  | { type: 'auth.failed'; reason: 'provider_unavailable' | 'sign_in_failed' }
  | { type: 'reminder.due'; reminderId: string }
  | { type: 'agent.accepted'; agentName: string }
  | { type: 'agent.text'; agentName: string; text: string }
  /** `company`: which company (its index) a company step resumes, when the agent picked one. */
  | { type: 'agent.handback'; step: string; agentName: string; company?: number }
  | { type: 'agent.closed'; agentName: string }
  | { type: 'agent.timeout' };

export interface Choice {
  id: string;
  label: string;
  style?: 'primary' | 'danger';
  /** A dialog the platform shows before the click counts (Slack `confirm`, a Teams card). */
  confirm?: { title: string; text: string; yes: string; no: string };
}

export interface Link {
  label: string;
  url: string;
}

/**
 * A message to the customer. `text` is plain, already localised text: adapters
 * escape all of it for their markup, so nothing in it can become a mention or a link.
 */
export interface PromptMessage {
  kind: 'prompt';
  /** The step id of STEPS.md this message belongs to. */
  step: string;
  text: string;
  /**
   * When one turn said several things (one turn, one message): those texts in order, shown as
   * separate sections; `text` is them joined by a blank line.
   */
  sections?: string[];
  choices?: Choice[];
  links?: Link[];
  /** The runtime attaches a personal login link (src/auth) before the message is stored. */
  loginLink?: boolean;
  /** The localised label of that login link (the flow knows the language, src/auth does not). */
  loginLabel?: string;
  /** The language of `text`, for the adapters' own words ("(shortened)"); Italian when absent. */
  locale?: Locale;
}

/** What an agent wrote in the helpdesk, relayed to the customer. */
export interface AgentTextMessage {
  kind: 'agent.text';
  agentName: string;
  text: string;
  /** The customer's language, for the adapters' own words ("(shortened)"); Italian when absent. */
  locale?: Locale;
}

export type CompanyStatus =
  'pending' | 'confirmed' | 'unlinked' | 'relinked' | 'invited' | 'waiting-green' | 'active' | 'skipped';

/** Where a customer is in the guide, for status views (Slack App Home, hand-off posts). */
export interface StatusView {
  locale: Locale;
  step: string;
  /** The step in words, in `locale`. */
  stepTitle: string;
  companies: { name: string; vat?: string; status: CompanyStatus; statusLabel: string }[];
  /** The conversation waits for a sign-in: only then does a login link's callback count. */
  awaitingLogin?: boolean;
}

export interface HandoffSummary {
  reason: 'customer-asked' | 'repeated-misses' | 'not-admin' | 'stuck' | 'invite-missing' | 'chain-not-green';
  step: string;
  locale: Locale;
  companies: { name: string; vat?: string; status: CompanyStatus }[];
  /** Unmasked here (it is conversation data); whoever shows it masks it. */
  email?: string;
  /** The customer's last typed messages, oldest first, bounded. */
  lastMessages: string[];
}

/** Messages for the helpdesk side of a hand-off (src/handoff routes them). */
export type HelpdeskMessage =
  | { kind: 'handoff.request'; summary: HandoffSummary }
  | { kind: 'handoff.relay'; text: string }
  | { kind: 'handoff.resumed'; step: string; agentName: string }
  | { kind: 'handoff.rejected'; step: string; reason: string }
  /** In place of a customer's message the helpdesk platform refused for good (it is in the dead-letter list). */
  | { kind: 'handoff.undeliverable' };

export type OutboundMessage = PromptMessage | AgentTextMessage | HelpdeskMessage;

/** What the helpdesk reads in place of a customer's message its platform refused (`handoff.undeliverable`). */
export const UNDELIVERABLE_RELAY =
  'A message from the customer could not be shown here (the platform refused it). It is kept in the dead-letter list.';

/** Who a message is for: the customer's chat, or the helpdesk. */
export function audienceOf(message: OutboundMessage): 'customer' | 'helpdesk' {
  return message.kind === 'prompt' || message.kind === 'agent.text' ? 'customer' : 'helpdesk';
}

/** What a flow emits (XState `emit`). The engine turns effects into the outbox. */
export type FlowEffect =
  | { type: 'message'; message: OutboundMessage }
  | { type: 'reminder.schedule'; reminderId: string; delayMs: number }
  | { type: 'reminder.cancel'; reminderId: string }
  | { type: 'data.erase' }
  /** A line for the audit log, written once the turn is saved (no e-mail: src/contract/audit.ts). */
  | { type: 'audit'; entry: AuditEntry };

/** Which identity a conversation took, and whether the sign-in's one-time code was typed in the chat. */
export interface AuditEntry {
  event: 'identity.bound';
  /** subjectHash(issuer, subject): the same person gives the same value, the subject itself is not kept. */
  subject: string;
  codeConfirmed: boolean;
}
