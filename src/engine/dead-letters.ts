import type { AppError } from '../errors.js';
import type { FlowDefinition } from '../contract/flow-definition.js';
import { audienceOf, type ConversationKey, type OutboundMessage, type StatusView } from '../contract/messages.js';
import type { ConversationRecord, OutboxItem } from '../store/conversation-store.js';
import { restore } from './run-turn.js';
import { systemText } from './system-text.js';

/** A message moved to the dead-letter list, as the engine reports it (metrics, one log line): no message text. */
export interface DeadLetterReport {
  conversationId: string;
  channel: ConversationKey['channel'];
  itemId: string;
  /** The refused message's kind (`prompt`, `handoff.relay`, …). */
  kind: OutboundMessage['kind'];
  code: string;
  /** Short and stable: `slack_invalid_blocks`, `http_413`, `encoding`. */
  reason: string;
  /** Whether a "could not be shown" notice took its place (never for a notice itself). */
  notice: boolean;
}

/** Whether a delivery failure is one that retrying cannot fix (an adapter said so with its code). */
export function isRejected(error: AppError): boolean {
  return error.code === 'tsid_delivery_rejected';
}

/**
 * What takes a refused message's place in the outbox: a short "could not be shown" to
 * whoever would have read it: the customer, or the agent for a relayed customer message.
 * None for a notice (a notice refused too must not start a loop) nor for the bot's own
 * helpdesk posts.
 */
export function noticeFor(
  flow: FlowDefinition,
  record: ConversationRecord | undefined,
  item: Extract<OutboxItem, { type: 'message' }>,
): OutboxItem | undefined {
  if (item.notice) return undefined;
  const id = `${item.id}.notice`;
  if (audienceOf(item.message) === 'helpdesk') {
    return item.message.kind === 'handoff.relay'
      ? { id, type: 'message', message: { kind: 'handoff.undeliverable' }, notice: true }
      : undefined;
  }
  const view = statusOf(flow, record);
  const step = item.message.kind === 'prompt' ? item.message.step : (view?.step ?? 'undeliverable');
  return {
    id,
    type: 'message',
    message: { kind: 'prompt', step, text: systemText('undeliverable', view?.locale) },
    notice: true,
  };
}

/** The customer's language and step, when the record can still be read by this flow. */
function statusOf(flow: FlowDefinition, record: ConversationRecord | undefined): StatusView | undefined {
  if (!record || record.flowVersion !== flow.version) return undefined;
  try {
    return flow.status(restore(flow, record.snapshot));
  } catch {
    return undefined; // Italian, as everywhere the language is unknown
  }
}
