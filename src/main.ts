/**
 * The composition root: the only module that knows every part. `npm start` runs it.
 */
import type { Server } from 'node:http';
import { createWebChat } from '../adapters/local/web-chat.js';
import { createSlackChannel, type SlackChannel } from '../adapters/slack/index.js';
import { createTeamsChannel, type TeamsAuthOptions, type TeamsChannel } from '../adapters/teams/index.js';
import { createTsidFlow, unstamp } from '../flows/tsid-digital-invoice/index.js';
import { COMPANY_STEPS, STEP_IDS } from '../flows/tsid-digital-invoice/steps.js';
import { HandoffService } from './handoff/index.js';
import { createCampaignParts, trackCampaignProgress, type CampaignParts, type CampaignService } from './campaign/index.js';
import { createOidcLogin } from './auth/index.js';
import { isLocalIssuer, loadConfig, type Config } from './config.js';
import { audienceOf, ConversationEngine, type Deliver, type OutboundMessage, type PrepareMessage, type TurnHandler } from './engine/index.js';
import { asAppError } from './errors.js';
import { isEntryPoint } from './entry-point.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { systemClock, type Clock } from './scheduler/clock.js';
import { OutboxSweeper } from './scheduler/outbox-sweeper.js';
import { ReminderRunner } from './scheduler/reminder-runner.js';
import { createHttpApp, listen } from './server.js';
import { installCrashHandlers } from './crash-handlers.js';
import { DrainGate } from './drain-gate.js';
import { InFlightTurns } from './in-flight-turns.js';
import { shutDown, type ShutdownReport } from './shutdown.js';
import { createStorage } from './storage.js';

/** How long after "not yet" the bot asks again about the green chain. */
const GREEN_CHECK_MS = 10 * 60_000;

export interface RunningBot {
  server: Server;
  engine: ConversationEngine;
  /** The graceful shutdown of SIGTERM: finishes the work in flight within `timeoutMs` (default SHUTDOWN_TIMEOUT). */
  stop(timeoutMs?: number): Promise<ShutdownReport>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Listen on this host (default all interfaces). */
  host?: string;
  /** How often due reminders are looked for (default 1 s). */
  pollIntervalMs?: number;
  /** Teams token keys and outbound credentials from elsewhere (the benchmark's local JWKS; default Microsoft's). */
  teamsAuth?: TeamsAuthOptions;
  /** Least time between two Slack posts to one channel (default 1000 ms, Slack's limit; the benchmark sets 0). */
  slackMinPostIntervalMs?: number;
}

/** Builds every part from the configuration, wires them, and starts listening. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const storage = createStorage(config, clock, logger);
  const gate = new DrainGate();
  const http = createHttpApp({ readiness: () => storage.store.ping(), metrics: () => metrics.exposition(), gate });

  // The channels and the engine need each other: the channels get the engine late, through `turns`.
  let engine: ConversationEngine | undefined = undefined;
  const inFlight = new InFlightTurns();
  const engineTurns: TurnHandler = inFlight.track(
    metrics.instrument({
      handle: (inbound) => engine!.handle(inbound),
      status: (key) => engine!.status(key),
    }),
  );
  const campaignStore = storage.campaigns;
  const turns = campaignStore ? trackCampaignProgress(engineTurns, { store: campaignStore, optedOut: isOptOut, onError: (error) => logger.warn({ code: asAppError(error).code }, 'campaign: progress not noted') }) : engineTurns;
  let campaigns: CampaignParts | undefined;

  const handoff = new HandoffService({
    store: storage.handoffs,
    steps: STEP_IDS,
    companySteps: COMPANY_STEPS,
    agents: config.helpdeskAgents,
    log: logger.child({ part: 'handoff' }),
    now: () => clock.now(),
  });
  handoff.attach(turns);
  const slack = config.slack.botToken ? createSlack(config, http, logger, handoff, () => campaigns?.service, options.slackMinPostIntervalMs) : undefined;
  slack?.attach(turns);
  // Teams only when asked for: an app id (authenticated), or the Emulator (local, loopback only).
  const teams: TeamsChannel | undefined =
    config.teams.appId || config.teamsEmulator
      ? createTeamsChannel({
          teams: config.teams,
          turns,
          log: logger.child({ channel: 'teams' }),
          auth: options.teamsAuth,
          handoff,
          helpdesk: config.teams.helpdeskChannel ? { channelId: config.teams.helpdeskChannel } : undefined,
        })
      : undefined;
  teams?.mount(http);
  // Local mode: a browser chat at `GET /`, where the person also plays the helpdesk.
  const webChat = config.localWebChat
    ? createWebChat({ turns, onError: (error) => logger.error({ code: asAppError(error).code }, 'web chat: turn failed') })
    : undefined;
  webChat?.mount(http);

  let prepareMessage: PrepareMessage | undefined;
  if (config.oidc) {
    // The schema allows http:// only on a loopback host: a developer's own identity provider.
    const localIssuer = isLocalIssuer(config.oidc.issuer);
    if (localIssuer) logger.warn({ issuer: config.oidc.issuer }, 'OIDC_ISSUER is a local http:// identity provider: for development only');
    const login = createOidcLogin({
      oidc: config.oidc,
      publicBaseUrl: config.publicBaseUrl,
      linkStore: storage.loginLinks,
      turns,
      clock,
      logger: logger.child({ part: 'auth' }),
      allowInsecureRequests: localIssuer,
    });
    login.mount(http);
    prepareMessage = login.prepareMessage;
  }

  const deliver: Deliver = async (delivery) => {
    // Both audiences of a web chat conversation go to the page: its side panel is the helpdesk.
    if (delivery.key.channel === 'local' && webChat) return webChat.deliver(delivery);
    if (audienceOf(delivery.message) === 'helpdesk') return handoff.deliver(delivery);
    if (delivery.key.channel === 'slack' && slack) return slack.deliver(delivery);
    if (delivery.key.channel === 'teams' && teams) return teams.deliver(delivery);
    logger.warn({ conversationId: delivery.conversationId, channel: delivery.key.channel }, 'no channel for this conversation');
  };

  engine = new ConversationEngine({
    flow: createTsidFlow({
      links: config.links,
      inviteRemindersMs: config.inviteRemindersMs,
      greenCheckMs: GREEN_CHECK_MS,
      handoffTimeoutMs: config.handoffTimeoutMs,
      loginEnabled: config.oidc !== undefined,
    }),
    store: storage.store,
    scheduler: storage.scheduler,
    clock,
    deliver,
    prepareMessage,
    onConflict: () => metrics.countConflict(),
    onError: (error, conversationId) => {
      metrics.countError(error.code);
      logger.error({ code: error.code, conversationId, cause: error.message }, 'delivery failed; kept in the outbox');
    },
  });

  const reminders = new ReminderRunner({
    engine,
    scheduler: storage.scheduler,
    clock,
    onError: (error, entry) =>
      entry
        ? logger.error({ code: asAppError(error).code, conversationId: entry.conversationId }, 'reminder failed; retried after its lease')
        : logger.error({ code: asAppError(error).code, cause: asAppError(error).message }, 'reminder poll failed; next poll on schedule'),
  });
  const sweeper = new OutboxSweeper({
    engine,
    store: storage.store,
    onError: (error, conversationId) => logger.error({ code: asAppError(error).code, conversationId }, 'outbox sweep failed'),
  });

  if (campaignStore) {
    campaigns = createCampaignParts({
      store: campaignStore,
      turns,
      steps: STEP_IDS,
      startSteps: STEP_IDS.filter((step) => !COMPANY_STEPS.includes(step)),
      doneStep: 'invoice.done',
      perMinute: config.campaignPerMinute,
      leaseMs: config.campaignLeaseMs,
      workers: config.campaignWorkers,
      slack: slack?.campaign,
      teamsTenant: config.teams.tenantId,
      log: logger.child({ part: 'campaign' }),
    });
    metrics.watchCampaigns(campaigns.service);
  }

  await slack?.start();
  const server = await listen(http, config.port, options.host);
  reminders.start(options.pollIntervalMs);
  sweeper.start();
  campaigns?.runner.start();
  logger.info({ port: config.port, storage: storage.kind, slack: !!slack, teams: teams ? (teams.authEnabled ? 'authenticated' : 'emulator') : 'off', oidc: !!config.oidc, webChat: !!webChat }, 'tsid-assistant started');
  if (webChat) logger.info(`local web chat: open http://localhost:${(server.address() as { port: number }).port}/`);

  return {
    server,
    engine,
    stop: (timeoutMs = config.shutdownTimeoutMs) =>
      shutDown(
        {
          gate,
          server,
          turns: inFlight,
          loops: [reminders, sweeper, ...(campaigns ? [campaigns.runner] : [])],
          busy: { slackRequests: () => slack?.pendingRequests ?? 0, slackPosts: () => slack?.pendingPosts ?? 0 },
          stopIntake: async () => slack?.stop(),
          close: async () => storage.close(),
          logger,
        },
        timeoutMs,
      ),
  };
}

/** The flow's answer to `stop` is the only prompt offering exactly "resume" and "restart". */
function isOptOut(messages: OutboundMessage[]): boolean {
  return messages.some((message) => message.kind === 'prompt' && message.choices?.map((choice) => unstamp(choice.id).choiceId).join(',') === 'resume,restart');
}

function createSlack(
  config: Config,
  http: ReturnType<typeof createHttpApp>,
  logger: Logger,
  handoff: HandoffService,
  campaigns: () => CampaignService | undefined,
  minPostIntervalMs?: number,
): SlackChannel {
  return createSlackChannel({
    botToken: config.slack.botToken!,
    signingSecret: config.slack.signingSecret,
    appToken: config.slack.appToken,
    http,
    apiUrl: config.slack.apiUrl,
    helpdeskChannel: config.slack.helpdeskChannel,
    handoff,
    minPostIntervalMs,
    defaultLocale: config.defaultLocale,
    logger: logger.child({ channel: 'slack' }),
    campaigns,
  });
}

/**
 * The process: configuration, crash handlers, the bot, and SIGTERM/SIGINT as a graceful
 * shutdown (exit 0 when everything finished in time, 1 otherwise, 2 for a bad configuration).
 */
export async function runProcess(options: StartOptions = {}): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(asAppError(error).message);
    process.exit(2);
  }
  const logger = options.logger ?? createLogger(config.logLevel);
  installCrashHandlers(logger);
  let bot: RunningBot;
  try {
    bot = await startBot(config, { ...options, logger });
  } catch (error) {
    logger.fatal({ code: asAppError(error).code, cause: asAppError(error).message }, 'could not start');
    process.exit(1);
  }
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return void logger.warn({ signal }, 'already shutting down');
    stopping = true;
    logger.info({ signal }, 'signal received');
    bot.stop().then(
      (report) => process.exit(report.clean ? 0 : 1),
      (error: unknown) => {
        logger.error({ code: asAppError(error).code, cause: asAppError(error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

if (isEntryPoint(import.meta.url)) void runProcess();
