import type { ConversationKey, InboundEvent, Locale } from '../../src/engine/index.js';
import { CHOICE_ACTION } from './render-blocks.js';
import type { SlackClick } from './slack-sender.js';
import { decodeSlackText } from './slack-text.js';

/** A Slack request that becomes a turn. */
export interface SlackTurn {
  kind: 'turn';
  key: ConversationKey;
  event: InboundEvent;
  /** A repeat of the same key is one turn: retried events, double clicks. */
  idempotencyKey?: string;
  /** The DM to answer in when the payload names it; otherwise the wiring opens one. */
  dm?: string;
  /**
   * For a click: the message to update once answered. Nothing else of the payload is kept:
   * its `message.blocks` and button text are what the click says, not what the bot posted.
   */
  clicked?: SlackClick;
}

export type IgnoreReason =
  'malformed' | 'bot' | 'edit' | 'subtype' | 'not-dm' | 'dm-mention' | 'helpdesk' | 'empty' | 'link';

/** What a Slack request means for the guide. */
export type SlackInput =
  | SlackTurn
  | { kind: 'ignore'; reason: IgnoreReason }
  /** A `/tsid` subcommand we do not know: answer with the usage line. */
  | { kind: 'usage'; key: ConversationKey };

export interface EventContext {
  /** Our bot's user id: its messages and the leading mention are dropped. */
  botUserId?: string;
  /** The helpdesk channel belongs to the hand-off (issue 7), not to the guide. */
  helpdeskChannel?: string;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === 'object' ? (value as Obj) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The conversation of a Slack user in a workspace. */
export function slackKey(team: string, user: string): ConversationKey {
  return { channel: 'slack', tenant: team, user };
}

/**
 * An Events API envelope (`message` in a DM, `app_mention`) → a turn, or why not.
 * Bots (ours included), edits, deletions and other subtypes are ignored.
 */
export function fromEventEnvelope(body: unknown, context: EventContext = {}): SlackInput {
  const envelope = obj(body);
  const event = obj(envelope.event);
  const team = str(envelope.team_id) ?? str(envelope.enterprise_id);
  const eventId = str(envelope.event_id);
  const user = str(event.user);
  if (!team || !eventId || (event.type !== 'message' && event.type !== 'app_mention')) return ignore('malformed');
  if (str(event.bot_id) || event.bot_profile || (user && user === context.botUserId)) return ignore('bot');
  if (event.subtype === 'message_changed' || event.subtype === 'message_deleted' || event.edited) return ignore('edit');
  if (event.subtype !== undefined && event.subtype !== 'file_share') return ignore('subtype');
  if (!user) return ignore('malformed');
  const channel = str(event.channel) ?? '';
  const raw = typeof event.text === 'string' ? event.text : '';
  const idempotencyKey = `slack:evt:${eventId}`;
  if (event.type === 'message') {
    if (event.channel_type !== 'im') return ignore('not-dm');
    const text = decodeSlackText(raw).trim();
    if (!text) return ignore('empty');
    return { kind: 'turn', key: slackKey(team, user), event: { type: 'user.text', text }, idempotencyKey, dm: channel };
  }
  // A mention in a DM also arrives as a `message` event: answer that one only.
  if (channel.startsWith('D')) return ignore('dm-mention');
  if (context.helpdeskChannel && channel === context.helpdeskChannel) return ignore('helpdesk');
  const text = decodeSlackText(withoutMention(raw, context.botUserId)).trim();
  const inbound: InboundEvent = text ? { type: 'user.text', text } : { type: 'session.start' };
  return { kind: 'turn', key: slackKey(team, user), event: inbound, idempotencyKey };
}

/** `/tsid <subcommand>` → a command event; Italian words work too (`stato`, `lingua en`). */
export function fromCommand(body: unknown): SlackInput {
  const command = obj(body);
  const team = str(command.team_id) ?? str(command.enterprise_id);
  const user = str(command.user_id);
  if (!team || !user) return ignore('malformed');
  const key = slackKey(team, user);
  const event = commandEvent(typeof command.text === 'string' ? command.text : '');
  if (!event) return { kind: 'usage', key };
  const trigger = str(command.trigger_id);
  return { kind: 'turn', key, event, idempotencyKey: trigger && `slack:cmd:${trigger}` };
}

/** The words after `/tsid`, or undefined when they mean nothing. */
export function commandEvent(text: string): InboundEvent | undefined {
  const [verb = '', arg, extra] = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (extra !== undefined) return undefined;
  if (['lingua', 'language', 'lang'].includes(verb)) {
    return arg === 'it' || arg === 'en' ? { type: 'cmd.language', locale: arg } : undefined;
  }
  if (arg !== undefined) return undefined;
  const simple: Record<string, InboundEvent> = {
    '': { type: 'session.start' },
    start: { type: 'session.start' },
    avvia: { type: 'session.start' },
    status: { type: 'cmd.status' },
    stato: { type: 'cmd.status' },
    restart: { type: 'cmd.restart' },
    ricomincia: { type: 'cmd.restart' },
    agent: { type: 'cmd.agent' },
    operatore: { type: 'cmd.agent' },
    help: { type: 'cmd.help' },
    aiuto: { type: 'cmd.help' },
  };
  return Object.hasOwn(simple, verb) ? simple[verb] : undefined;
}

/** The answer to a `/tsid` we do not understand. */
export function usageText(locale: Locale): string {
  return locale === 'en'
    ? 'Usage: /tsid start | status | restart | agent | lingua it|en | help'
    : 'Uso: /tsid start | status | restart | agent | lingua it|en | help';
}

/**
 * A `block_actions` payload → `user.choice`. The idempotency key is the clicked message:
 * its buttons answer once, however often (or fast) they are clicked. Link buttons are ignored.
 */
export function fromBlockActions(body: unknown): SlackInput {
  const payload = obj(body);
  const action = obj(Array.isArray(payload.actions) ? payload.actions[0] : undefined);
  const container = obj(payload.container);
  const team = str(obj(payload.team).id) ?? str(obj(payload.user).team_id);
  const user = str(obj(payload.user).id);
  const channel = str(container.channel_id) ?? str(obj(payload.channel).id);
  const ts = str(container.message_ts);
  const actionId = str(action.action_id) ?? '';
  if (!actionId.startsWith(CHOICE_ACTION)) return ignore(actionId ? 'link' : 'malformed');
  const choiceId = str(action.value) ?? actionId.slice(CHOICE_ACTION.length);
  if (!team || !user || !channel || !ts || !choiceId) return ignore('malformed');
  return {
    kind: 'turn',
    key: slackKey(team, user),
    event: { type: 'user.choice', choiceId },
    idempotencyKey: `slack:click:${channel}:${ts}`,
    dm: channel,
    clicked: { channel, ts, choiceId },
  };
}

function withoutMention(text: string, botUserId: string | undefined): string {
  return botUserId
    ? text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), ' ')
    : text.replace(/^\s*<@[^>]+>/, ' ');
}

function ignore(reason: IgnoreReason): SlackInput {
  return { kind: 'ignore', reason };
}
