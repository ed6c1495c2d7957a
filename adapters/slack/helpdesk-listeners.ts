import type { webApi } from '@slack/bolt';
import { asAppError } from '../../src/errors.js';
import type { CampaignService } from '../../src/campaign/index.js';
import type { ActionOutcome, HandoffService } from '../../src/handoff/index.js';
import { handleCampaignCommand } from './campaign-command.js';
import type { SlackHelpdesk } from './helpdesk-slack.js';
import { fromAgentCommand, fromHelpdeskAction, fromHelpdeskEvent, type HelpdeskRequest } from './helpdesk-to-event.js';
import type { SlackLogger } from './slack-logger.js';
import type { Refusals } from './slack-refusals.js';
import type { SlackSender } from './slack-sender.js';
import { slackKey } from './to-event.js';
import type { UserLocales } from './user-locale.js';

/** What became of a helpdesk request (metrics, tests). */
export interface HelpdeskOutcome {
  kind: 'helpdesk';
  request: HelpdeskRequest['kind'];
  status: ActionOutcome['status'] | 'failed';
}

export interface HelpdeskHookDeps {
  handoff: HandoffService;
  helpdesk: SlackHelpdesk;
  sender: SlackSender;
  locales: UserLocales;
  logger: SlackLogger;
  refusals: Refusals;
  onOutcome?: (outcome: HelpdeskOutcome) => void;
  /** `/tsid campaign …` (absent: campaigns are off); the client resolves pasted e-mails. */
  campaigns?: () => CampaignService | undefined;
  client: webApi.WebClient;
}

/** The helpdesk's share of the Slack listeners; each answers true when the request was the helpdesk's. */
export interface SlackHelpdeskHooks {
  event(body: unknown, botUserId?: string): Promise<boolean>;
  action(body: unknown): Promise<boolean>;
  command(body: unknown, respond: (text: string) => Promise<unknown>): Promise<boolean>;
}

/** Hand-off threads, post controls, `/tsid start @user [step]` and `/tsid campaign …`, wired to the hand-off service. */
export function helpdeskHooks(deps: HelpdeskHookDeps): SlackHelpdeskHooks {
  const channel = deps.helpdesk.channel;
  return {
    event: (body, botUserId) => run(deps, fromHelpdeskEvent(body, { channel, botUserId })),
    action: (body) => run(deps, fromHelpdeskAction(body, channel)),
    command: async (body, respond) =>
      (await handleCampaignCommand(
        {
          ...deps,
          onError: (error) => deps.logger.error({ code: asAppError(error).code }, 'slack: campaign command failed'),
        },
        body,
        respond,
      )) || run(deps, fromAgentCommand(body), respond),
  };
}

async function run(
  deps: HelpdeskHookDeps,
  request: HelpdeskRequest | undefined,
  respond?: (text: string) => Promise<unknown>,
): Promise<boolean> {
  if (!request) return false;
  if (request.kind === 'ignore' && request.reason === 'not-helpdesk-channel') {
    deps.refusals.refuse('not-helpdesk-channel');
    return true;
  }
  let outcome: ActionOutcome;
  try {
    outcome = await perform(deps, request);
  } catch (error) {
    const code = asAppError(error).code;
    deps.logger.error({ code, request: request.kind }, 'slack: helpdesk request failed');
    await tell(deps, request, 'That did not work: please try again in a minute.', respond);
    deps.onOutcome?.({ kind: 'helpdesk', request: request.kind, status: 'failed' });
    return true;
  }
  if (outcome.message) await tell(deps, request, outcome.message, respond);
  deps.onOutcome?.({ kind: 'helpdesk', request: request.kind, status: outcome.status });
  return true;
}

async function perform(deps: HelpdeskHookDeps, request: HelpdeskRequest): Promise<ActionOutcome> {
  const { handoff } = deps;
  switch (request.kind) {
    case 'ignore':
      return { status: 'ignored' };
    case 'reply':
    case 'take':
    case 'close':
    case 'handback':
      return handoff.act(request);
    case 'start': {
      // Checked before the DM is opened: a refused start changes nothing at all.
      if (!(await handoff.isAgent(request.actor)))
        return { status: 'refused', message: 'Only helpdesk agents can start the guide for someone.' };
      const key = slackKey(request.team, request.customer);
      const dm = await deps.sender.openDm(request.team, request.customer);
      const locale = await deps.locales.get(request.team, request.customer);
      const outcome = await handoff.startGuide(request.actor, key, {
        step: request.step,
        idempotencyKey: request.idempotencyKey,
        reference: { channel: dm, team: request.team },
        locale,
      });
      if (outcome.status !== 'done') return outcome;
      return {
        ...outcome,
        message: `The guide is open in their direct messages${request.step ? ` at ${request.step}` : ''}.`,
      };
    }
  }
}

/** Only the agent who acted sees the answer (a command's response, else an ephemeral message). */
async function tell(
  deps: HelpdeskHookDeps,
  request: HelpdeskRequest,
  text: string,
  respond?: (text: string) => Promise<unknown>,
): Promise<void> {
  try {
    if (respond) await respond(text);
    else if (request.kind !== 'ignore')
      await deps.helpdesk.tell(request.actor.id, text, 'threadTs' in request ? request.threadTs : undefined);
  } catch (error) {
    deps.logger.warn({ code: asAppError(error, 'tsid_delivery_failed').code }, 'slack: could not answer the agent');
  }
}
