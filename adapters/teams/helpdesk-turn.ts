import { TeamsInfo, type TurnContext } from 'botbuilder';
import { asAppError } from '../../src/errors.js';
import type { ActionOutcome, HandoffService } from '../../src/handoff/index.js';
import { renderAgentNotice } from './helpdesk-card.js';
import { toHelpdeskInput, type TeamsHelpdeskInput } from './helpdesk-activity.js';
import type { TeamsHelpdesk } from './helpdesk-teams.js';
import type { TeamsLog } from './teams-log.js';

export interface TeamsHelpdeskHooks {
  /** Whether the activity belongs to the helpdesk channel (then `handle` takes it). */
  owns(context: TurnContext): boolean;
  handle(context: TurnContext): Promise<void>;
}

export interface HelpdeskTurnDeps {
  handoff: HandoffService;
  helpdesk: TeamsHelpdesk;
  retry: <T>(call: () => Promise<T>) => Promise<T>;
  log: TeamsLog;
  /** Told what became of each helpdesk activity (tests, metrics). */
  onOutcome?: (outcome: { request: TeamsHelpdeskInput['kind']; status: ActionOutcome['status'] | 'failed' }) => void;
}

/** The helpdesk channel's activities: card buttons, replies in hand-off chains, `start @user`. */
export function helpdeskTurnHooks(deps: HelpdeskTurnDeps): TeamsHelpdeskHooks {
  return {
    owns: (context) => deps.helpdesk.owns(context.activity),
    handle: async (context) => {
      deps.helpdesk.learn(context.activity);
      const input = toHelpdeskInput(context.activity);
      let outcome: ActionOutcome;
      try {
        outcome = await perform(deps, context, input);
      } catch (error) {
        deps.log.error(
          { channel: 'teams', code: asAppError(error).code, request: input.kind },
          'helpdesk action failed',
        );
        await notify(deps, context, 'That did not work: please try again in a minute.');
        deps.onOutcome?.({ request: input.kind, status: 'failed' });
        return;
      }
      if (outcome.message) await notify(deps, context, outcome.message);
      deps.onOutcome?.({ request: input.kind, status: outcome.status });
    },
  };
}

async function perform(
  deps: HelpdeskTurnDeps,
  context: TurnContext,
  input: TeamsHelpdeskInput,
): Promise<ActionOutcome> {
  const { handoff } = deps;
  switch (input.kind) {
    case 'ignore':
      return { status: 'ignored' };
    case 'take':
    case 'close':
    case 'handback':
    case 'reply':
      return handoff.act(input);
    case 'start': {
      if (!(await handoff.isAgent(input.actor)))
        return { status: 'refused', message: 'Only helpdesk agents can start the guide for someone.' };
      const user = input.customer.aadObjectId ?? (await aadObjectIdOf(context, input.customer.id)) ?? input.customer.id;
      const key = { channel: 'teams' as const, tenant: input.tenant, user };
      const outcome = await handoff.startGuide(input.actor, key, {
        step: input.step,
        requireExisting: true,
        idempotencyKey: input.idempotencyKey,
      });
      if (outcome.status !== 'done') return outcome;
      return {
        ...outcome,
        message: `The guide is open in their personal chat${input.step ? ` at ${input.step}` : ''}.`,
      };
    }
  }
}

/** Conversations are keyed by AAD object id; a mention gives the Teams user id. */
async function aadObjectIdOf(context: TurnContext, userId: string): Promise<string | undefined> {
  try {
    return (await TeamsInfo.getMember(context, userId)).aadObjectId;
  } catch {
    return undefined;
  }
}

/** Teams bots have no ephemeral messages: the answer goes into the same reply chain. */
async function notify(deps: HelpdeskTurnDeps, context: TurnContext, text: string): Promise<void> {
  await deps
    .retry(() => context.sendActivity(renderAgentNotice(text)))
    .catch((error: unknown) => {
      deps.log.warn(
        { channel: 'teams', code: asAppError(error, 'tsid_delivery_failed').code },
        'could not answer the agent',
      );
    });
}
