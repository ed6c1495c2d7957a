import type { App } from '@slack/bolt';
import { asAppError, type AppErrorCode } from '../../src/errors.js';
import {
  conversationId,
  systemText,
  type ConversationKey,
  type TurnHandler,
  type TurnResult,
} from '../../src/engine/index.js';
import type { HelpdeskOutcome, SlackHelpdeskHooks } from './helpdesk-listeners.js';
import { renderHome } from './render-home.js';
import type { SlackLogger } from './slack-logger.js';
import type { RefusalOutcome, Refusals } from './slack-refusals.js';
import { asSlackReference, type SlackClick, type SlackSender } from './slack-sender.js';
import {
  fromBlockActions,
  fromCommand,
  fromEventEnvelope,
  slackKey,
  usageText,
  type IgnoreReason,
  type SlackInput,
  type SlackTurn,
} from './to-event.js';
import type { UserLocales } from './user-locale.js';

/** What became of one Slack request, reported once its work is done (metrics, tests). */
export type SlackOutcome =
  | { kind: 'turn'; conversationId: string; status: TurnResult['status'] }
  | { kind: 'ignored'; reason: IgnoreReason }
  | { kind: 'usage'; conversationId: string }
  | { kind: 'home'; conversationId: string }
  | { kind: 'failed'; code: AppErrorCode; conversationId?: string }
  | RefusalOutcome
  | HelpdeskOutcome;

export interface ListenerDeps {
  /** Late-bound: the engine is built after the channel (it needs the channel's deliver). */
  turns: () => TurnHandler;
  sender: SlackSender;
  locales: UserLocales;
  logger: SlackLogger;
  refusals: Refusals;
  helpdeskChannel?: string;
  /** The hand-off's threads, controls and `/tsid start @user` (when a helpdesk is configured). */
  helpdesk?: SlackHelpdeskHooks;
  onOutcome?: (outcome: SlackOutcome) => void;
}

/**
 * The guide's listeners. Bolt acknowledges events before listeners run and we ack
 * commands and clicks first thing, so Slack gets its answer whatever a turn costs.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  const onEvent = async ({ body, context }: { body: unknown; context: { botUserId?: string } }) => {
    if (await deps.helpdesk?.event(body, context.botUserId)) return;
    const input = fromEventEnvelope(body, { botUserId: context.botUserId, helpdeskChannel: deps.helpdeskChannel });
    await handle(deps, input);
  };
  app.event('message', onEvent);
  app.event('app_mention', onEvent);
  app.command('/tsid', async ({ command, ack, respond }) => {
    await ack();
    if (await deps.helpdesk?.command(command, (text) => respond({ response_type: 'ephemeral', text }))) return;
    const input = fromCommand(command);
    if (input.kind !== 'usage') return handle(deps, input);
    await guard(deps, conversationId(input.key), async () => {
      const locale = await deps.locales.get(input.key.tenant, input.key.user);
      await respond({ response_type: 'ephemeral', text: usageText(locale) });
      deps.onOutcome?.({ kind: 'usage', conversationId: conversationId(input.key) });
    });
  });
  app.action({ type: 'block_actions' }, async ({ body, ack }) => {
    await ack();
    if (await deps.helpdesk?.action(body)) return;
    await handle(deps, fromBlockActions(body));
  });
  app.event('app_home_opened', async ({ event, body }) => {
    const team = (body as { team_id?: string }).team_id;
    if (event.tab !== 'home' || !team) return;
    const key = slackKey(team, event.user);
    await guard(deps, conversationId(key), async () => {
      const status = await deps.turns().status(key);
      const locale = status?.locale ?? (await deps.locales.get(team, event.user));
      await deps.sender.publishHome(event.user, renderHome(status, locale));
      deps.onOutcome?.({ kind: 'home', conversationId: conversationId(key) });
    });
  });
}

async function handle(deps: ListenerDeps, input: SlackInput): Promise<void> {
  if (input.kind === 'ignore') {
    deps.logger.debug({ reason: input.reason }, 'slack: request ignored');
    deps.onOutcome?.({ kind: 'ignored', reason: input.reason });
    return;
  }
  if (input.kind !== 'turn') return;
  // Slack has its answer (acknowledged) by now. The turn starts after the I/O already waiting
  // (other requests to acknowledge), not ahead of it: under load, acks queued behind turn starts.
  await new Promise<void>((resolve) => setImmediate(resolve));
  await guard(deps, conversationId(input.key), () => turn(deps, input));
}

async function ownDm(deps: ListenerDeps, key: SlackTurn['key'], dm: string, stored: unknown): Promise<boolean> {
  const channel = asSlackReference(stored)?.channel;
  if (channel) return channel === dm;
  return dm === (await deps.sender.openDm(key.tenant, key.user));
}

/** One turn: answer in the DM; when the store is down, say so there instead. */
async function turn(deps: ListenerDeps, input: SlackTurn): Promise<void> {
  const { key } = input;
  const dm = input.dm ?? (await deps.sender.openDm(key.tenant, key.user));
  const locale = await deps.locales.get(key.tenant, key.user);
  let result: TurnResult;
  try {
    result = await deps.turns().handle({
      key,
      event: input.event,
      idempotencyKey: input.idempotencyKey,
      reference: { channel: dm, team: key.tenant },
      locale,
      // A click names its channel: it is answered only in the DM the conversation lives in, or,
      // when the record was lost (no reference), only in the clicking user's own DM.
      ...(input.clicked ? { onlyIf: (stored: unknown) => ownDm(deps, key, dm, stored), followUp: input.clicked } : {}),
    });
  } catch (error) {
    const appError = asAppError(error);
    deps.logger.error({ code: appError.code, conversationId: conversationId(key) }, 'slack: turn failed');
    // A direct post, not the outbox: the outbox lives in the store that just failed.
    await deps.sender
      .postText(dm, systemText('retryLater', locale))
      .catch(warn(deps, key, 'slack: could not say "retry later"'));
    deps.onOutcome?.({ kind: 'failed', code: appError.code, conversationId: conversationId(key) });
    return;
  }
  if (result.status === 'refused') return deps.refusals.refuse('not-own-dm', key.tenant);
  // Past the budget: queued to run later (nothing to redraw yet), or refused for Slack to retry.
  if (result.status === 'deferred')
    return deps.onOutcome?.({ kind: 'turn', conversationId: conversationId(key), status: result.status });
  // Only the click that made the turn updates the message; a double click's second is a duplicate.
  if (input.clicked && result.status !== 'duplicate') {
    await deps.sender
      .markAnswered(input.clicked, result.answered)
      .catch(warn(deps, key, 'slack: could not mark the message answered'));
  }
  deps.onOutcome?.({ kind: 'turn', conversationId: conversationId(key), status: result.status });
}

function warn(deps: ListenerDeps, key: ConversationKey, message: string) {
  return (error: unknown) =>
    deps.logger.warn(
      { code: asAppError(error, 'tsid_delivery_failed').code, conversationId: conversationId(key) },
      message,
    );
}

/** The one error reporter of the Slack side: log the code, never the payload. */
async function guard(deps: ListenerDeps, id: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const appError = asAppError(error, 'tsid_delivery_failed');
    deps.logger.error({ code: appError.code, conversationId: id, cause: appError.message }, 'slack: request failed');
    deps.onOutcome?.({ kind: 'failed', code: appError.code, conversationId: id });
  }
}

/**
 * After a turn that waited in the overflow inbox (any process may run it): a click's message
 * is marked answered, as `turn` does for a turn run at once.
 */
export async function finishQueuedTurn(sender: SlackSender, followUp: unknown, result: TurnResult): Promise<void> {
  const clicked = asSlackClick(followUp);
  if (clicked && result.status !== 'duplicate' && result.status !== 'refused')
    await sender.markAnswered(clicked, result.answered);
}

function asSlackClick(value: unknown): SlackClick | undefined {
  const click = value as Partial<SlackClick> | undefined;
  return typeof click?.channel === 'string' && typeof click.ts === 'string' && typeof click.choiceId === 'string'
    ? { channel: click.channel, ts: click.ts, choiceId: click.choiceId }
    : undefined;
}
