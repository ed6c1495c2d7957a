import { CloudAdapter, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { AppError, asAppError } from '../../src/errors.js';
import {
  audienceOf,
  conversationId,
  PerKeyQueue,
  systemText,
  type Deliver,
  type TurnHandler,
} from '../../src/engine/index.js';
import type { HandoffService } from '../../src/handoff/index.js';
import { connectorRejection, withRetry, type RetryOptions } from './deliver-retry.js';
import { TeamsHelpdesk, type TeamsHelpdeskOptions } from './helpdesk-teams.js';
import { helpdeskTurnHooks, type HelpdeskTurnDeps } from './helpdesk-turn.js';
import { openPersonalChat } from './personal-chat.js';
import { cardActivity, renderMessage, renderTextCard } from './render-card.js';
import { isLoopbackUrl } from './loopback.js';
import { createTeamsAuthentication, type TeamsAuthOptions, type TeamsCredentials } from './teams-auth.js';
import { refusalLog } from './refusal-log.js';
import { consoleLog, type TeamsLog } from './teams-log.js';
import { handleTeamsActivity } from './teams-turn.js';
import { keyOf, localeOf } from './to-event.js';

/** The Bot Connector's messaging endpoint. */
export const TEAMS_MESSAGES_PATH = '/api/messages';

export interface TeamsChannelOptions {
  /** `loadConfig().teams`: the Bot Framework credentials (MicrosoftAppId empty: local mode). */
  teams: TeamsCredentials;
  /** The engine; may be bound late (the engine needs this channel's `deliver`). */
  turns: TurnHandler;
  log?: TeamsLog;
  /** Backoff for connector calls (tests make it instant). */
  retry?: RetryOptions;
  /** Where token keys come from and outbound credentials (tests only). */
  auth?: TeamsAuthOptions;
  /** The hand-off service: with `helpdesk`, hand-offs are posted and worked in that channel. */
  handoff?: HandoffService;
  /** `TEAMS_HELPDESK_CHANNEL`: the team channel (the bot added to its team) that is the helpdesk. */
  helpdesk?: TeamsHelpdeskOptions;
  /** Told what became of each helpdesk activity (tests, metrics). */
  onHelpdeskOutcome?: HelpdeskTurnDeps['onOutcome'];
}

export interface TeamsChannel {
  /** False in local mode: MicrosoftAppId is empty and nothing is authenticated. */
  readonly authEnabled: boolean;
  /** Mounts `POST /api/messages` (JSON body parsing on that route only). */
  mount(app: Express, path?: string): void;
  /** Sends a customer message to its Teams conversation, proactively, in order. */
  deliver: Deliver;
}

/**
 * The Teams channel: botbuilder's CloudAdapter on the shared HTTP app, turning activities
 * into engine turns and engine messages into Adaptive Cards.
 */
export function createTeamsChannel(options: TeamsChannelOptions): TeamsChannel {
  const log = options.log ?? consoleLog;
  const appId = options.teams.appId;
  const authEnabled = appId !== '';
  if (!authEnabled) {
    log.warn(
      { channel: 'teams', auth: 'off' },
      'TEAMS AUTHENTICATION IS OFF: MicrosoftAppId is empty, so /api/messages accepts unauthenticated requests. ' +
        'Local mode for the Bot Framework Emulator only: it answers a loopback serviceUrl only; never expose this port.',
    );
  }
  const authentication = createTeamsAuthentication(options.teams, options.auth);
  const adapter = new CloudAdapter(authentication);
  const refused = refusalLog(log);
  const retry = <T>(call: () => Promise<T>) => withRetry(call, options.retry);
  const queue = new PerKeyQueue();

  const deliver: Deliver = async ({ conversationId: id, reference, message }) => {
    if (audienceOf(message) !== 'customer') return; // helpdesk posts belong to the hand-off (issue 7)
    const address = reference as Partial<ConversationReference> | undefined;
    if (!address?.conversation?.id || !address.serviceUrl) {
      throw new AppError('tsid_delivery_failed', `no Teams conversation reference for ${id}`);
    }
    const customerMessage = message as Parameters<typeof renderMessage>[0];
    await queue.run(id, () => sendProactive(adapter, appId, address, () => renderMessage(customerMessage), retry));
  };

  adapter.onTurnError = async (context: TurnContext, error: unknown) => {
    const appError = asAppError(error);
    const key = keyOf(context.activity);
    const cause = appError.cause instanceof Error ? appError.cause.name : undefined;
    log.error(
      { channel: 'teams', code: appError.code, conversation: key && conversationId(key), cause },
      'Teams turn failed',
    );
    await context
      .sendActivity(cardActivity(renderTextCard(systemText('retryLater', localeOf(context.activity)))))
      .catch(() => undefined);
  };

  const helpdesk =
    options.handoff && options.helpdesk?.channelId
      ? new TeamsHelpdesk(adapter, appId, options.helpdesk, retry)
      : undefined;
  if (helpdesk) options.handoff!.registerHelpdesk(helpdesk);

  const deps = {
    helpdesk:
      helpdesk &&
      helpdeskTurnHooks({ handoff: options.handoff!, helpdesk, retry, log, onOutcome: options.onHelpdeskOutcome }),
    turns: options.turns,
    allowedChannels: authEnabled ? ['msteams'] : ['msteams', 'emulator'],
    openPersonalChat: (context: TurnContext) => openPersonalChat(adapter, appId, context),
    retry,
    log,
  };

  return {
    authEnabled,
    deliver,
    mount(app, path = TEAMS_MESSAGES_PATH) {
      const handle = async (req: Request, res: Response) => {
        // Emulator mode authenticates nothing: answer only an Emulator on this machine.
        // (A body that is no activity at all gets botbuilder's 400 below, and no turn.)
        if (!authEnabled && isActivity(req.body) && !isLoopbackUrl(req.body.serviceUrl)) {
          log.warn(
            { channel: 'teams', code: 'tsid_request_forged' },
            'Emulator mode: activity refused, its serviceUrl is not a loopback address',
          );
          res.status(403).json({ error: 'Emulator mode answers a loopback serviceUrl only' });
          return;
        }
        // A body that is no activity gets botbuilder's 400 from process(); no token is checked for it.
        if (!isActivity(req.body)) return void (await adapter.process(req, res, async () => undefined));
        const authorization = req.headers.authorization ?? '';
        const refusal = await authentication.authenticate(req.body as Activity, authorization, () =>
          adapter.process(req, res, (context) => handleTeamsActivity(context, deps)),
        );
        if (!refusal) return;
        // Generic bodies: what failed inside (a URL, a DNS error, a stack) stays in this process.
        refused(refusal.status === 503 ? 'tsid_auth_unavailable' : 'tsid_request_forged', refusal.status);
        if (refusal.status === 503) {
          res.status(503).set('Retry-After', String(refusal.retryAfterS)).json({ error: 'try again later' });
        } else res.status(401).json({ error: 'unauthorized' });
      };
      // Body parser errors (malformed JSON, too large) get a short answer, not a stack trace.
      const badBody = (error: { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
        const status = error.status === 413 ? 413 : 400;
        res.status(status).json({ error: status === 413 ? 'activity too large' : 'body is not a JSON activity' });
      };
      app.post(path, express.json({ limit: '256kb' }), handle, badBody);
    },
  };
}

function isActivity(body: unknown): body is { type: string; serviceUrl?: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { type?: unknown }).type === 'string'
  );
}

/**
 * Sends into a stored conversation. The send runs inside continueConversationAsync but its
 * failure is carried out of it: otherwise onTurnError would swallow it and the engine would
 * count an undelivered message as sent.
 */
async function sendProactive(
  adapter: CloudAdapter,
  appId: string,
  reference: Partial<ConversationReference>,
  activity: () => Parameters<TurnContext['sendActivity']>[0],
  retry: <T>(call: () => Promise<T>) => Promise<T>,
): Promise<void> {
  let failure: unknown;
  await adapter.continueConversationAsync(appId, reference, async (context) => {
    try {
      await retry(() => context.sendActivity(activity()));
    } catch (error) {
      failure = error;
    }
  });
  if (failure !== undefined) throw connectorRejection(failure);
}
