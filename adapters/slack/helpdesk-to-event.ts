import type { HelpdeskActor } from '../../src/handoff/index.js';
import { HANDOFF_ACTIONS } from './helpdesk-render.js';
import { slackThread } from './helpdesk-slack.js';
import { decodeSlackText } from './slack-text.js';

/** What a Slack request in (or about) the helpdesk asks of the hand-off. */
export type HelpdeskRequest =
  | { kind: 'reply'; thread: string; actor: HelpdeskActor; text: string; idempotencyKey: string; threadTs: string }
  | { kind: 'take' | 'close'; thread: string; actor: HelpdeskActor; idempotencyKey: string; threadTs: string }
  | { kind: 'handback'; thread: string; actor: HelpdeskActor; step: string; idempotencyKey: string; threadTs: string }
  | { kind: 'start'; actor: HelpdeskActor; team: string; customer: string; step?: string; idempotencyKey?: string }
  | { kind: 'ignore'; reason: 'helpdesk-chatter' | 'bot' | 'malformed' | 'not-helpdesk-channel' };

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (value !== null && typeof value === 'object' ? (value as Obj) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * A message event in the helpdesk channel: a reply in a hand-off's thread becomes the
 * agent's words; anything else there is the agents' own talk. Undefined: not the helpdesk.
 */
export function fromHelpdeskEvent(
  body: unknown,
  context: { channel: string; botUserId?: string },
): HelpdeskRequest | undefined {
  const envelope = obj(body);
  const event = obj(envelope.event);
  if (event.type !== 'message' || event.channel !== context.channel) return undefined;
  const user = str(event.user);
  if (str(event.bot_id) || event.bot_profile || (user && user === context.botUserId))
    return { kind: 'ignore', reason: 'bot' };
  const threadTs = str(event.thread_ts);
  const eventId = str(envelope.event_id);
  const subtype = event.subtype;
  if (!user || !eventId || (subtype !== undefined && subtype !== 'thread_broadcast' && subtype !== 'file_share'))
    return { kind: 'ignore', reason: 'malformed' };
  if (!threadTs || threadTs === event.ts) return { kind: 'ignore', reason: 'helpdesk-chatter' };
  const text = decodeSlackText(typeof event.text === 'string' ? event.text : '').trim();
  if (!text) return { kind: 'ignore', reason: 'helpdesk-chatter' };
  const actor: HelpdeskActor = { platform: 'slack', id: user, name: user };
  return {
    kind: 'reply',
    thread: slackThread(context.channel, threadTs),
    actor,
    text,
    idempotencyKey: `slack:evt:${eventId}`,
    threadTs,
  };
}

/**
 * A click on a hand-off post's controls. The hand-off is the message clicked (from the
 * signed payload's container), the agent the payload's user: nothing a button carries
 * decides who may act. Undefined: not a hand-off control.
 */
export function fromHelpdeskAction(body: unknown, channel: string): HelpdeskRequest | undefined {
  const payload = obj(body);
  const action = obj(Array.isArray(payload.actions) ? payload.actions[0] : undefined);
  const actionId = str(action.action_id);
  if (!actionId || !Object.values(HANDOFF_ACTIONS).includes(actionId as never)) return undefined;
  const container = obj(payload.container);
  const user = obj(payload.user);
  const id = str(user.id);
  const ts = str(container.message_ts);
  if (!id || !ts) return { kind: 'ignore', reason: 'malformed' };
  // A hand-off control counts only on the hand-off post, which is in the helpdesk channel.
  if (str(container.channel_id) !== channel) return { kind: 'ignore', reason: 'not-helpdesk-channel' };
  const actor: HelpdeskActor = { platform: 'slack', id, name: str(user.name) ?? str(user.username) ?? id };
  const base = {
    thread: slackThread(channel, ts),
    actor,
    threadTs: ts,
    idempotencyKey: `slack:handoff:${channel}:${ts}:${str(action.action_ts) ?? str(payload.trigger_id) ?? ''}`,
  };
  if (actionId === HANDOFF_ACTIONS.take) return { kind: 'take', ...base };
  if (actionId === HANDOFF_ACTIONS.close) return { kind: 'close', ...base };
  const step = str(obj(action.selected_option).value);
  return step ? { kind: 'handback', ...base, step } : { kind: 'ignore', reason: 'malformed' };
}

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

/**
 * `/tsid start @user [step]` (the command is escaped, so the mention arrives as
 * `<@U123|name>`). Undefined: not this command (the customer's own `/tsid` handles it).
 */
export function fromAgentCommand(body: unknown): HelpdeskRequest | undefined {
  const command = obj(body);
  const [verb = '', target = '', step, extra] = (typeof command.text === 'string' ? command.text : '')
    .trim()
    .split(/\s+/);
  const mention = MENTION.exec(target);
  if (!['start', 'avvia'].includes(verb.toLowerCase()) || !mention) return undefined;
  const team = str(command.team_id) ?? str(command.enterprise_id);
  const id = str(command.user_id);
  if (!team || !id || extra !== undefined) return { kind: 'ignore', reason: 'malformed' };
  const trigger = str(command.trigger_id);
  const actor: HelpdeskActor = { platform: 'slack', id, name: str(command.user_name) ?? id };
  return { kind: 'start', actor, team, customer: mention[1], step, idempotencyKey: trigger && `slack:cmd:${trigger}` };
}
