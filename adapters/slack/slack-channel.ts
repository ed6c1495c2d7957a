import { App, webApi, type ExpressReceiverOptions } from '@slack/bolt';
import { AppError } from '../../src/errors.js';
import type { CampaignDirectory, CampaignReach, CampaignService } from '../../src/campaign/index.js';
import type { Deliver, Locale, TurnHandler, TurnResult } from '../../src/engine/index.js';
import { slackDirectory, slackReach, tokenTeam } from './campaign-slack.js';
import type { HandoffService } from '../../src/handoff/index.js';
import { helpdeskHooks } from './helpdesk-listeners.js';
import { leanFetch } from './lean-fetch.js';
import { HoldingReceiver } from './holding-receiver.js';
import { SlackHelpdesk } from './helpdesk-slack.js';
import { requestWindow } from './request-window.js';
import { requestSize, SLACK_BODY_LIMIT_BYTES } from './request-size.js';
import { boltLogger, stderrLogger, type SlackLogger } from './slack-logger.js';
import { finishQueuedTurn, registerListeners, type SlackOutcome } from './slack-listeners.js';
import { Refusals } from './slack-refusals.js';
import { SlackSender } from './slack-sender.js';
import { UserLocales } from './user-locale.js';
import { fetchInstalledBot, workspaceGate, type InstalledBot } from './workspace-gate.js';

/** Slack's events, interactivity and slash commands all arrive here (one Request URL). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackChannelOptions {
  botToken: string;
  /** HTTP mode: verifies every request on `POST /slack/events`. */
  signingSecret?: string;
  /** Socket Mode instead of HTTP when set (`xapp-…`). */
  appToken?: string;
  /** The shared express app that HTTP mode mounts its route on. */
  http?: ExpressReceiverOptions['app'];
  /** Web API base URL (default Slack's; tests point it at a fake on loopback). */
  apiUrl?: string;
  /** The helpdesk channel: its messages belong to the hand-off, not to the guide. */
  helpdeskChannel?: string;
  /**
   * Workspaces (`T…`) or Enterprise Grid orgs (`E…`) served besides the token's own
   * (SLACK_ALLOWED_TEAMS); requests from anywhere else are refused.
   */
  allowedTeams?: readonly string[];
  /** The hand-off service: with `helpdeskChannel`, hand-offs are posted and worked there. */
  handoff?: HandoffService;
  /** How long the helpdesk channel's member list is trusted (default 60 s). */
  helpdeskMemberCacheMs?: number;
  /** When Slack does not tell a user's language (default `it`). */
  defaultLocale?: Locale;
  /** Least time between two posts to one channel (default 1000 ms: Slack's limit). */
  minPostIntervalMs?: number;
  /** Web API retries for network errors (default 3 within ~4 s; rate limits are handled per channel). */
  retryConfig?: webApi.RetryOptions;
  /** Hold Slack's HTTP response until listeners finish (FaaS only; default false: ack first). */
  processBeforeResponse?: boolean;
  logger?: SlackLogger;
  /** Told what became of each Slack request once its work is done (metrics, tests). */
  onOutcome?: (outcome: SlackOutcome) => void;
  /** For the request window (tests). */
  now?: () => number;
  /** `/tsid campaign …` for agents (bound late: the service needs this channel's directory). */
  campaigns?: () => CampaignService | undefined;
}

/** The Slack side of the bot, as main.ts uses it. */
export interface SlackChannel {
  readonly app: App;
  /** The engine's Deliver for `slack` conversations (customer messages; helpdesk ones are skipped). */
  readonly deliver: Deliver;
  /** Gives the channel the engine's turns; events before this fail with `tsid_internal`. */
  attach(turns: TurnHandler): void;
  /** What a turn run from the overflow inbox still owes Slack (a click's message marked answered). */
  finishQueued(followUp: unknown, result: TurnResult): Promise<void>;
  /**
   * Checks the token (auth.test) and, in Socket Mode, connects. Await it before the HTTP
   * server listens: until then Slack requests cannot be authorised. Rejects with
   * `tsid_config_invalid` when Slack refuses the token or cannot be reached.
   */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Posts still queued or in flight (0: idle); for a graceful shutdown. */
  readonly pendingPosts: number;
  /**
   * Requests Bolt is still working on (0: idle); for a graceful shutdown. Bolt acknowledges
   * before its listeners run, so this is the work Slack believes done but that is not yet.
   */
  readonly pendingRequests: number;
  /** How campaigns resolve Slack rows (the token's workspace) and open customers' DMs. */
  readonly campaign: { directory: CampaignDirectory; reach: CampaignReach };
}

const DEFAULT_RETRIES: webApi.RetryOptions = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 2000 };

/**
 * Builds the Bolt app and wires it to the engine: HTTP on `POST /slack/events` of the
 * shared express app, or Socket Mode when `appToken` is set.
 */
export function createSlackChannel(options: SlackChannelOptions): SlackChannel {
  const logger = options.logger ?? stderrLogger;
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: options.apiUrl ? `${options.apiUrl.replace(/\/$/, '')}/` : undefined,
    // Rate limits come back as errors: SlackSender waits them out per channel, in order.
    rejectRateLimitedCalls: true,
    retryConfig: options.retryConfig ?? DEFAULT_RETRIES,
    // Half the CPU of a Web API call over the global fetch (see lean-fetch.ts); one set of keep-alive agents.
    fetch: leanFetch(),
  };
  // auth.test runs once, in start(), which fails fast on a bad token or an unreachable Slack
  // (instead of Bolt caching a rejected auth.test that fails every later request). Its answer
  // is the bot's ids for Bolt and the installed workspace for the gate, so Bolt gets an
  // `authorize` made from it rather than the token (Bolt's own auth.test keeps no team id).
  let installed: InstalledBot | undefined;
  const client = new webApi.WebClient(options.botToken, { ...clientOptions, logger: boltLogger(logger) });
  const common = {
    authorize: async () => {
      if (!installed) throw new AppError('tsid_internal', 'a Slack request arrived before start()');
      const { botId, botUserId, workspace } = installed;
      return {
        botToken: options.botToken,
        botId,
        botUserId,
        teamId: workspace.team,
        enterpriseId: workspace.enterprise,
      };
    },
    clientOptions,
    logger: boltLogger(logger),
    convoStore: false as const,
    deferInitialization: true,
  };
  let app: App;
  if (options.appToken) {
    // The Socket Mode connection (apps.connections.open) goes to the same Web API base URL.
    const installerOptions = { clientOptions: { slackApiUrl: clientOptions.slackApiUrl } };
    app = new App({ ...common, appToken: options.appToken, socketMode: true, installerOptions });
  } else {
    if (!options.signingSecret || !options.http) {
      throw new AppError('tsid_config_invalid', 'Slack over HTTP needs SLACK_SIGNING_SECRET and the shared HTTP app');
    }
    // Registered before the receiver's route, so it runs first.
    options.http.post(SLACK_EVENTS_PATH, requestWindow(options.now), requestSize());
    const receiver = new HoldingReceiver({
      signingSecret: options.signingSecret,
      app: options.http,
      endpoints: SLACK_EVENTS_PATH,
      processBeforeResponse: options.processBeforeResponse ?? false,
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
      logger: common.logger,
    });
    app = new App({ ...common, receiver });
  }
  const sender = new SlackSender(client, { minPostIntervalMs: options.minPostIntervalMs });
  const locales = new UserLocales({
    fallback: options.defaultLocale,
    lookup: async (user) => (await client.users.info({ user, include_locale: true })).user?.locale,
  });
  let turns: TurnHandler | undefined;
  let processing = 0;
  app.use(async ({ next }) => {
    processing++;
    try {
      await next();
    } finally {
      processing--;
    }
  });
  const refusals = new Refusals({ logger, onOutcome: options.onOutcome, now: options.now });
  app.use(workspaceGate(() => installed?.workspace, options.allowedTeams ?? [], refusals));
  const helpdesk =
    options.helpdeskChannel && options.handoff
      ? new SlackHelpdesk(client, options.helpdeskChannel, {
          minPostIntervalMs: options.minPostIntervalMs,
          memberCacheMs: options.helpdeskMemberCacheMs,
          now: options.now,
        })
      : undefined;
  if (helpdesk) options.handoff!.registerHelpdesk(helpdesk);
  registerListeners(app, {
    helpdesk:
      helpdesk &&
      helpdeskHooks({
        handoff: options.handoff!,
        helpdesk,
        sender,
        locales,
        logger,
        refusals,
        onOutcome: options.onOutcome,
        campaigns: options.campaigns,
        client,
      }),
    turns: () => turns ?? unattached(),
    sender,
    locales,
    logger,
    refusals,
    helpdeskChannel: options.helpdeskChannel,
    onOutcome: options.onOutcome,
  });
  app.error(async (error) => logger.error({ code: error.code ?? 'slack_error' }, 'slack: bolt error'));
  return {
    app,
    deliver: sender.deliver,
    attach: (handler) => void (turns = handler),
    finishQueued: (followUp, result) => finishQueuedTurn(sender, followUp, result),
    start: async () => {
      try {
        installed = await fetchInstalledBot(client, options.botToken);
        await app.init();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AppError('tsid_config_invalid', `Slack did not accept SLACK_BOT_TOKEN (auth.test): ${reason}`, {
          cause: error,
        });
      }
      if (options.appToken) await app.start();
    },
    stop: async () => void (options.appToken ? await app.stop() : undefined),
    get pendingPosts() {
      return sender.pending;
    },
    get pendingRequests() {
      return processing;
    },
    campaign: { directory: slackDirectory(client, tokenTeam(client)), reach: slackReach(sender, locales) },
  };
}

function unattached(): never {
  throw new AppError('tsid_internal', 'the Slack channel received a request before attach(engine)');
}
