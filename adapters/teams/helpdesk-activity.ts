import type { Activity } from 'botbuilder';
import type { HelpdeskActor } from '../../src/handoff/index.js';
import { STEP_INPUT_ID } from './helpdesk-card.js';
import { teamsThread } from './helpdesk-teams.js';
import { stripBotMention } from './to-event.js';

/** What an activity in the helpdesk channel asks of the hand-off. */
export type TeamsHelpdeskInput =
  | { kind: 'take' | 'close'; thread: string; actor: HelpdeskActor; idempotencyKey: string }
  | { kind: 'handback'; thread: string; actor: HelpdeskActor; step: string; idempotencyKey: string }
  | { kind: 'reply'; thread: string; actor: HelpdeskActor; text: string; idempotencyKey: string }
  | {
      kind: 'start';
      actor: HelpdeskActor;
      tenant: string;
      customer: { id: string; aadObjectId?: string };
      step?: string;
      idempotencyKey: string;
    }
  | { kind: 'ignore'; reason: string };

/**
 * Reads an activity from the helpdesk channel. The agent is the activity's sender (the
 * activity is authenticated by the Bot Framework); the hand-off is the reply chain it
 * came in. A card's submitted data only says which button, never who may press it.
 */
export function toHelpdeskInput(activity: Partial<Activity>): TeamsHelpdeskInput {
  const conversationId = activity.conversation?.id;
  const from = activity.from;
  const userId = from?.aadObjectId ?? from?.id;
  if (activity.type !== 'message' || !conversationId || !userId || !activity.id)
    return { kind: 'ignore', reason: 'not a message from a person' };
  const actor: HelpdeskActor = { platform: 'teams', id: userId, name: from?.name || userId, conversationId };
  const idempotencyKey = `teams:${conversationId}:${activity.id}`;
  const root = /;messageid=(.+)$/.exec(conversationId)?.[1];
  const value = activity.value as { tsid?: unknown; op?: unknown; [STEP_INPUT_ID]?: unknown } | undefined;
  if (value && typeof value === 'object') {
    if (value.tsid !== 'handoff') return { kind: 'ignore', reason: 'not a hand-off card' };
    const thread = teamsThread(root ? conversationId : `${conversationId};messageid=${activity.replyToId ?? ''}`);
    if (value.op === 'take' || value.op === 'close') return { kind: value.op, thread, actor, idempotencyKey };
    const step = typeof value[STEP_INPUT_ID] === 'string' ? value[STEP_INPUT_ID].trim() : '';
    if (value.op === 'handback')
      return step
        ? { kind: 'handback', thread, actor, step, idempotencyKey }
        : { kind: 'ignore', reason: 'hand-back without a step' };
    return { kind: 'ignore', reason: 'unknown hand-off button' };
  }
  const text = stripBotMention(activity);
  const start = startCommand(activity, text);
  if (start) return { ...start, actor, idempotencyKey };
  if (!root || root === activity.id) return { kind: 'ignore', reason: 'helpdesk chatter' };
  // Other people mentioned in the reply reach the customer as their names.
  const plain = text.replace(/<at>([^<]*)<\/at>/g, '$1').trim();
  return plain
    ? { kind: 'reply', thread: teamsThread(conversationId), actor, text: plain, idempotencyKey }
    : { kind: 'ignore', reason: 'empty reply' };
}

/** `@bot start @customer [step]`: the customer is the one mention that is not the bot. */
function startCommand(activity: Partial<Activity>, text: string) {
  const words = text
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  if (!['start', 'avvia'].includes(words[0]?.toLowerCase() ?? '')) return undefined;
  const mentions = (activity.entities ?? []).filter((entity) => entity.type === 'mention') as {
    mentioned?: { id?: string; aadObjectId?: string };
  }[];
  const customer = mentions
    .map((mention) => mention.mentioned)
    .find((mentioned) => mentioned?.id && mentioned.id !== activity.recipient?.id);
  const tenant =
    activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  if (!customer?.id || !tenant || words.length > 2) return undefined;
  return {
    kind: 'start' as const,
    tenant,
    customer: { id: customer.id, aadObjectId: customer.aadObjectId },
    step: words[1],
  };
}
