import type { Activity, ConversationReference } from 'botbuilder';
import type { ConversationKey, Inbound, Locale } from '../../src/engine/index.js';
import { parseSubmitValue, type ConfirmSpec } from './submit-value.js';

/** A clicked card to redraw as answered once the turn is saved. */
export interface AnsweredCards {
  /** Activity ids of the cards (the clicked one, and the card a confirmation belonged to). */
  cardIds: string[];
  prompt: string;
  label: string;
}

/** What one inbound activity asks of the channel. */
export type TeamsInput =
  | { kind: 'turn'; inbound: Inbound; answered?: AnsweredCards }
  /** A choice that needs a confirmation first: show the confirmation card, run no turn. */
  | {
      kind: 'confirm';
      key: ConversationKey;
      locale?: Locale;
      choiceId: string;
      label?: string;
      prompt?: string;
      confirm: ConfirmSpec;
      origin?: string;
    }
  /** "No" on a confirmation card: redraw it as answered, run no turn. */
  | { kind: 'cancel'; cardId?: string; prompt?: string; label?: string }
  /** A message in a team channel or group chat: the guide continues in the personal chat. */
  | { kind: 'elsewhere'; key: ConversationKey; locale?: Locale; text: string }
  | { kind: 'ignore'; reason: string };

export interface ToEventOptions {
  /** `activity.channelId`s served: `msteams`, plus `emulator` in local mode. */
  allowedChannels: readonly string[];
}

/** Turns a Bot Framework activity into channel-neutral input. Pure. */
export function toTeamsInput(activity: Partial<Activity>, options: ToEventOptions): TeamsInput {
  const channelId = activity.channelId ?? '';
  if (!options.allowedChannels.includes(channelId))
    return { kind: 'ignore', reason: `channel ${channelId || '(none)'} not served` };
  const key = keyOf(activity);
  if (!key) return { kind: 'ignore', reason: 'no user or conversation' };
  const locale = localeOf(activity);
  if (activity.type === 'conversationUpdate') return welcome(activity, key, locale);
  if (activity.type !== 'message') return { kind: 'ignore', reason: `activity type ${activity.type ?? '(none)'}` };
  if (!isPersonal(activity)) {
    const text = stripBotMention(activity);
    return text
      ? { kind: 'elsewhere', key, locale, text }
      : { kind: 'ignore', reason: 'empty message outside the personal chat' };
  }
  const base = { key, locale, reference: referenceOf(activity) };
  if (activity.value !== undefined && activity.value !== null) return submitted(activity, base);
  const text = stripBotMention(activity);
  if (!text) return { kind: 'ignore', reason: 'empty message' };
  return {
    kind: 'turn',
    inbound: { ...base, event: { type: 'user.text', text }, idempotencyKey: activityKey(activity) },
  };
}

/**
 * A card button. The idempotency key is the card's, not the click's: whichever button of a
 * card is submitted first wins, and any later submit of that card runs no turn.
 */
function submitted(activity: Partial<Activity>, base: Omit<Inbound, 'event'>): TeamsInput {
  const value = parseSubmitValue(activity.value);
  if (!value) return { kind: 'ignore', reason: 'unrecognised card submit' };
  const cardId = activity.replyToId;
  if (value.tsid === 'cancelled') return { kind: 'cancel', cardId, prompt: value.prompt, label: value.label };
  if (value.tsid === 'choice' && value.confirm) {
    const { choiceId, label, prompt, confirm } = value;
    return { kind: 'confirm', key: base.key, locale: base.locale, choiceId, label, prompt, confirm, origin: cardId };
  }
  const origin = value.tsid === 'confirmed' ? value.origin : undefined;
  const cardIds = [cardId, origin].filter((id): id is string => Boolean(id));
  const idempotencyKey = `teams:card:${activity.conversation!.id}:${origin ?? cardId ?? activity.id}`;
  const answered =
    value.label && cardIds.length > 0 ? { cardIds, prompt: value.prompt ?? '', label: value.label } : undefined;
  return {
    kind: 'turn',
    inbound: { ...base, event: { type: 'user.choice', choiceId: value.choiceId }, idempotencyKey },
    answered,
  };
}

/** The bot added to a personal chat (or the Emulator opening one): the guide starts. */
function welcome(activity: Partial<Activity>, key: ConversationKey, locale: Locale | undefined): TeamsInput {
  const botAdded = activity.membersAdded?.some((member) => member.id === activity.recipient?.id);
  if (!botAdded) return { kind: 'ignore', reason: 'conversationUpdate without the bot joining' };
  if (!isPersonal(activity)) return { kind: 'ignore', reason: 'bot added to a team or group chat' };
  const inbound: Inbound = {
    key,
    locale,
    reference: referenceOf(activity),
    event: { type: 'session.start' },
    idempotencyKey: activityKey(activity),
  };
  return { kind: 'turn', inbound };
}

/**
 * Where to deliver, kept in the conversation record. Only what continueConversationAsync
 * needs: no display names (personal data the bot has no use for).
 */
export function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const { conversation, from, recipient } = activity;
  return {
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    locale: activity.locale,
    conversation: {
      id: conversation!.id,
      tenantId: conversation?.tenantId,
      conversationType: conversation?.conversationType ?? 'personal',
      isGroup: false,
      name: '',
    },
    user: from && { id: from.id, name: '', ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}) },
    bot: recipient && { id: recipient.id, name: '' },
  };
}

/** One guide per Teams user per tenant: the AAD object id when Teams gives it. */
export function keyOf(activity: Partial<Activity>): ConversationKey | undefined {
  const user = activity.from?.aadObjectId ?? activity.from?.id;
  if (!user || !activity.conversation?.id) return undefined;
  return { channel: 'teams', tenant: tenantOf(activity), user };
}

/** Activity ids are unique per conversation only (Teams uses timestamps), so both go in. */
function activityKey(activity: Partial<Activity>): string | undefined {
  return activity.id ? `teams:${activity.conversation!.id}:${activity.id}` : undefined;
}

function tenantOf(activity: Partial<Activity>): string {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return (
    activity.conversation?.tenantId ??
    (typeof fromChannelData === 'string' ? fromChannelData : undefined) ??
    activity.channelId!
  );
}

/** `it-IT` → it, `en-GB` → en; other languages are left to the flow's default. */
export function localeOf(activity: Partial<Activity>): Locale | undefined {
  const clientInfo = activity.entities?.find((entity) => entity.type === 'clientInfo') as
    { locale?: unknown } | undefined;
  const tag = activity.locale ?? (typeof clientInfo?.locale === 'string' ? clientInfo.locale : '');
  const language = tag.toLowerCase().split(/[-_]/)[0];
  return language === 'it' || language === 'en' ? language : undefined;
}

function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'personal' || (type === undefined && !activity.conversation?.isGroup);
}

/** The message text without the `<at>Bot</at>` mention Teams puts in channel messages. */
export function stripBotMention(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type: string; mentioned?: { id?: string }; text?: unknown };
    if (
      mention.type === 'mention' &&
      mention.mentioned?.id === activity.recipient?.id &&
      typeof mention.text === 'string'
    ) {
      text = text.split(mention.text).join('');
    }
  }
  return text.trim();
}
