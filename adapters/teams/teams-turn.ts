import type { TurnContext } from 'botbuilder';
import { asAppError, isTemporary } from '../../src/errors.js';
import { systemText, type Inbound, type TurnHandler, type TurnResult } from '../../src/engine/index.js';
import { fitActivity } from './card-limits.js';
import { cardActivity, renderAnsweredCard, renderConfirmCard, renderTextCard } from './render-card.js';
import { localeOf, toTeamsInput, type AnsweredCards, type TeamsInput } from './to-event.js';
import type { TeamsLog } from './teams-log.js';
import type { TeamsHelpdeskHooks } from './helpdesk-turn.js';

/** What handling one inbound activity needs; built once by `createTeamsChannel`. */
export interface TeamsTurnDeps {
  turns: TurnHandler;
  allowedChannels: readonly string[];
  /** Opens the user's personal chat; undefined when that is not possible (`reference` is `unknown`, undefined included). */
  openPersonalChat: (context: TurnContext) => Promise<Inbound['reference']>;
  /** Runs a connector call with the channel's retry policy. */
  retry: <T>(call: () => Promise<T>) => Promise<T>;
  log: TeamsLog;
  /** The helpdesk channel's activities (when a Teams helpdesk is configured). */
  helpdesk?: TeamsHelpdeskHooks;
}

/** The bot's logic for one activity: parse, then run a turn or answer a card click. */
export async function handleTeamsActivity(context: TurnContext, deps: TeamsTurnDeps): Promise<void> {
  if (deps.helpdesk?.owns(context) && deps.allowedChannels.includes(context.activity.channelId))
    return deps.helpdesk.handle(context);
  const input = toTeamsInput(context.activity, { allowedChannels: deps.allowedChannels });
  switch (input.kind) {
    case 'ignore':
      return;
    case 'turn': {
      const result = await runTurn(context, deps, input.inbound);
      if (result && result.status !== 'duplicate' && input.answered) await markAnswered(context, deps, input.answered);
      return;
    }
    case 'confirm':
      await deps.retry(() =>
        context.sendActivity(
          fitActivity((budget) => cardActivity(renderConfirmCard(input, budget, localeOf(context.activity)))),
        ),
      );
      return;
    case 'cancel':
      if (input.cardId)
        await markAnswered(context, deps, {
          cardIds: [input.cardId],
          prompt: input.prompt ?? '',
          label: input.label ?? '',
        });
      return;
    case 'elsewhere':
      await continueInPersonalChat(context, deps, input);
      return;
  }
}

/**
 * One engine turn; its messages go out through the channel's deliver. When the store is
 * down nothing was saved, so the customer is told to try again, straight from here.
 */
async function runTurn(context: TurnContext, deps: TeamsTurnDeps, inbound: Inbound): Promise<TurnResult | undefined> {
  try {
    return await deps.turns.handle(inbound);
  } catch (error) {
    const appError = asAppError(error);
    if (!isTemporary(appError)) throw appError;
    deps.log.warn({ code: appError.code, channel: 'teams' }, 'store unavailable or busy: asked the customer to retry');
    await sayDirectly(context, deps, systemText('retryLater', inbound.locale));
    return undefined;
  }
}

/**
 * Redraws clicked cards as answered (the question, the answer, no buttons), so an old card
 * cannot be submitted again. Best effort: the turn is already saved, and the card's
 * idempotency key stops a second submit anyway.
 */
async function markAnswered(context: TurnContext, deps: TeamsTurnDeps, answered: AnsweredCards): Promise<void> {
  const locale = localeOf(context.activity);
  const card = fitActivity((budget) =>
    cardActivity(renderAnsweredCard(answered.prompt, answered.label, budget, locale)),
  );
  for (const id of answered.cardIds) {
    try {
      await deps.retry(() => context.updateActivity({ ...card, id }));
    } catch (error) {
      deps.log.warn({ channel: 'teams', cause: describe(error) }, 'could not mark a card as answered');
    }
  }
}

/**
 * A message in a team channel or group chat: the turn runs in the author's personal chat
 * (opened if need be), and the shared conversation only gets a pointer there.
 */
async function continueInPersonalChat(
  context: TurnContext,
  deps: TeamsTurnDeps,
  input: Extract<TeamsInput, { kind: 'elsewhere' }>,
) {
  const reference = await deps.openPersonalChat(context).catch((error: unknown) => {
    deps.log.warn({ channel: 'teams', cause: describe(error) }, 'could not open the personal chat');
    return undefined;
  });
  const idempotencyKey = context.activity.id
    ? `teams:${context.activity.conversation.id}:${context.activity.id}`
    : undefined;
  let result: TurnResult | undefined = undefined;
  if (reference) {
    const inbound: Inbound = {
      key: input.key,
      locale: input.locale,
      reference,
      idempotencyKey,
      event: { type: 'user.text', text: input.text },
    };
    result = await runTurn(context, deps, inbound);
    if (!result) return;
  }
  if (result?.status !== 'duplicate') await sayDirectly(context, deps, systemText('notUnderstoodHere', input.locale));
}

async function sayDirectly(context: TurnContext, deps: TeamsTurnDeps, text: string): Promise<void> {
  await deps.retry(() => context.sendActivity(fitActivity((budget) => cardActivity(renderTextCard(text, budget)))));
}

function describe(error: unknown): string {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? `HTTP ${status}` : error instanceof Error ? error.name : 'unknown';
}
