/**
 * The parts `startBot` assembles, each built by one named function. Only the process
 * (src/app) knows every part: these builders are where adapters, flows and runtime meet.
 */
import type { Express } from 'express';
import { createWebChat, type WebChat } from '../../adapters/local/web-chat.js';
import { createSlackChannel, holdSlackAck, SLACK_EVENTS_PATH, type SlackChannel } from '../../adapters/slack/index.js';
import { createTeamsChannel, TEAMS_MESSAGES_PATH, type TeamsChannel } from '../../adapters/teams/index.js';
import { createTsidFlow, unstamp } from '../../flows/tsid-digital-invoice/index.js';
import { COMPANY_STEPS, STEP_IDS } from '../../flows/tsid-digital-invoice/steps.js';
import { createOidcLogin } from '../auth/index.js';
import {
  createCampaignParts,
  trackCampaignProgress,
  type CampaignParts,
  type CampaignService,
} from '../campaign/index.js';
import { isLocalIssuer, type Config } from '../config/load-config.js';
import {
  audienceOf,
  ConversationEngine,
  conversationId,
  type Deliver,
  type Inbound,
  type OutboundMessage,
  type PrepareMessage,
  type TurnHandler,
} from '../engine/index.js';
import { ReminderRunner } from '../engine/reminder-runner.js';
import { asAppError } from '../errors.js';
import { HandoffService } from '../handoff/index.js';
import type { Clock } from '../scheduler/clock.js';
import { OutboxSweeper } from '../scheduler/outbox-sweeper.js';
import { ThrottledLog } from '../scheduler/throttled-log.js';
import type { InFlightTurns } from './in-flight-turns.js';
import { DataLossWatch } from './data-loss-watch.js';
import { InboxDrainer } from './inbox-drainer.js';
import { Overflow } from './overflow.js';
import { setAsideNotice } from './set-aside-notice.js';
import { refuseSlack, refuseTeams, TurnBudget } from './turn-budget.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import type { StartOptions } from './main.js';
import type { Storage } from './storage.js';

/** How long after "not yet" the bot asks again about the green chain. */
const GREEN_CHECK_MS = 10 * 60_000;

/** What every builder may need: the configuration and the shared services. */
export interface Shared {
  config: Config;
  options: StartOptions;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  storage: Storage;
  http: Express;
  /** The turn budget: customer requests are admitted by it, background loops yield to it. */
  budget: TurnBudget;
  /** With Redis: where Slack turns past the budget wait (undefined: they are refused). */
  overflow?: Overflow;
}

export interface Channels {
  slack?: SlackChannel;
  teams?: TeamsChannel;
  webChat?: WebChat;
}

/**
 * The turn handler every channel calls: counted, tracked for shutdown, campaign progress
 * noted. The engine comes late (it needs the channels to deliver), so turns reach it
 * through `engine()`.
 */
export function createTurns(shared: Shared, inFlight: InFlightTurns, engine: () => ConversationEngine): TurnHandler {
  const { metrics, storage, logger } = shared;
  const engineTurns = inFlight.track(
    metrics.instrument({ handle: (inbound) => engine().handle(inbound), status: (key) => engine().status(key) }),
  );
  if (!storage.campaigns) return engineTurns;
  return trackCampaignProgress(engineTurns, {
    store: storage.campaigns,
    optedOut: isOptOut,
    onError: (error) => logger.warn({ code: asAppError(error).code }, 'campaign: progress not noted'),
  });
}

/** The process's turn budget (MAX_TURNS_IN_FLIGHT, MAX_TURN_AGE); Slack's acknowledged work comes late. */
export function createBudget(
  config: Config,
  metrics: Metrics,
  inFlight: InFlightTurns,
  slackAcknowledged: () => number,
): TurnBudget {
  return new TurnBudget({
    max: config.maxTurnsInFlight,
    maxAgeMs: config.maxTurnAgeMs,
    acknowledged: slackAcknowledged,
    oldestStartedAt: () => inFlight.oldestStartedAt(),
    onRefused: (channel, reason) => metrics.countTurnRefusal(channel, reason),
  });
}

/**
 * The overflow inbox's front, with Redis. Slack only: the Bot Connector honours Retry-After
 * and holds its request open for the whole turn, so Teams keeps 503 + Retry-After.
 */
export function createOverflow({ storage, metrics, logger }: Pick<Shared, 'storage' | 'metrics' | 'logger'>) {
  if (!storage.inbox) return undefined;
  return new Overflow({
    inbox: storage.inbox,
    holdAck: holdSlackAck,
    storedReference: async (key) => (await storage.store.load(conversationId(key)))?.reference,
    onQueued: (channel) => metrics.countTurnQueued(channel),
    onRefused: (channel, reason) => metrics.countTurnRefusal(channel, reason),
    onError: (error) => logger.warn({ code: asAppError(error).code }, 'overflow inbox: a turn could not be queued'),
  });
}

/** The budget's gates go first on the channels' routes, before any platform handler can acknowledge. */
export function mountBudget(http: Express, budget: TurnBudget, overflow?: Overflow): void {
  http.post(
    SLACK_EVENTS_PATH,
    budget.gate('slack', refuseSlack, overflow && ((req, res, next) => overflow.admit(req, res, next))),
  );
  http.post(TEAMS_MESSAGES_PATH, budget.gate('teams', refuseTeams));
}

/**
 * Every process runs the overflow inbox's turns when its budget has room (a quarter of the
 * budget at most, so requests arriving keep room of their own).
 */
export function createDrainer(
  { config, storage, metrics, logger, clock, budget, overflow, options }: Shared,
  turns: TurnHandler,
  deliver: Deliver,
  slack?: SlackChannel,
) {
  if (!storage.inbox || !overflow) return undefined;
  const drains = new ThrottledLog(logger, { what: 'overflow inbox drain', now: () => clock.now() });
  return new InboxDrainer({
    inbox: storage.inbox,
    turns,
    room: () => budget.free,
    concurrency: Math.max(1, Math.floor(config.maxTurnsInFlight / 4)),
    leaseMs: config.overflowInboxLeaseMs,
    retryMs: options.inboxRetryMs,
    onRan: async (entry, result) => {
      const { key } = entry.inbound as Partial<Inbound>;
      if (key?.channel !== 'slack' || !slack) return;
      await slack
        .finishQueued(entry.inbound.followUp, result)
        .catch((error: unknown) =>
          logger.warn(
            { code: asAppError(error, 'tsid_delivery_failed').code, conversationId: conversationId(key) },
            'slack: could not mark the message answered',
          ),
        );
    },
    onStats: (stats) => {
      overflow.observe(stats.entries);
      metrics.noteInbox(stats.entries, stats.oldestAt === undefined ? undefined : clock.now() - stats.oldestAt);
      drains.succeeded();
    },
    onSetAside: (error, conversationId, entry) => {
      logger.error(
        { code: asAppError(error).code, conversationId },
        'overflow inbox: turn set aside after failing 5 times; the conversation goes on with its next turns',
      );
      const notice = setAsideNotice(conversationId, entry);
      if (notice)
        deliver(notice).catch((failure: unknown) =>
          logger.error(
            { code: asAppError(failure).code, conversationId },
            'overflow inbox: the customer could not be told that a turn was set aside',
          ),
        );
    },
    onError: (error, conversationId) =>
      conversationId
        ? logger.error({ code: asAppError(error).code, conversationId }, 'overflow inbox: turn failed; retried later')
        : drains.failed({ code: asAppError(error).code, cause: asAppError(error).message }),
  });
}

export function createHandoff({ config, storage, clock, logger }: Shared, turns: TurnHandler): HandoffService {
  const handoff = new HandoffService({
    store: storage.handoffs,
    steps: STEP_IDS,
    companySteps: COMPANY_STEPS,
    agents: config.helpdeskAgents,
    log: logger.child({ part: 'handoff' }),
    now: () => clock.now(),
  });
  handoff.attach(turns);
  return handoff;
}

/** Slack when it has a token, Teams when asked for, the web chat in local mode; each mounted on `http`. */
export function createChannels(
  shared: Shared,
  turns: TurnHandler,
  handoff: HandoffService,
  campaigns: () => CampaignService | undefined,
): Channels {
  const slack = shared.config.slack.botToken ? createSlack(shared, handoff, campaigns) : undefined;
  slack?.attach(shared.overflow ? shared.overflow.wrap(turns) : turns);
  const teams = createTeams(shared, turns, handoff);
  teams?.mount(shared.http);
  // Local mode: a browser chat at `GET /`, where the person also plays the helpdesk.
  const webChat = shared.config.localWebChat
    ? createWebChat({
        turns,
        onError: (error) => shared.logger.error({ code: asAppError(error).code }, 'web chat: turn failed'),
      })
    : undefined;
  webChat?.mount(shared.http);
  return { slack, teams, webChat };
}

function createSlack(
  { config, http, logger, metrics, options }: Shared,
  handoff: HandoffService,
  campaigns: () => CampaignService | undefined,
): SlackChannel {
  return createSlackChannel({
    botToken: config.slack.botToken!,
    signingSecret: config.slack.signingSecret,
    appToken: config.slack.appToken,
    http,
    apiUrl: config.slack.apiUrl,
    helpdeskChannel: config.slack.helpdeskChannel,
    allowedTeams: config.slack.allowedTeams,
    handoff,
    minPostIntervalMs: options.slackMinPostIntervalMs,
    defaultLocale: config.defaultLocale,
    logger: logger.child({ channel: 'slack' }),
    onOutcome: (outcome) => {
      if (outcome.kind === 'refused') metrics.countSlackRefusal(outcome.reason);
    },
    campaigns,
  });
}

/** Teams only when asked for: an app id (authenticated), or the Emulator (local, loopback only). */
function createTeams(
  { config, logger, options }: Shared,
  turns: TurnHandler,
  handoff: HandoffService,
): TeamsChannel | undefined {
  if (!config.teams.appId && !config.teamsEmulator) return undefined;
  return createTeamsChannel({
    teams: config.teams,
    turns,
    log: logger.child({ channel: 'teams' }),
    auth: options.teamsAuth,
    handoff,
    helpdesk: config.teams.helpdeskChannel ? { channelId: config.teams.helpdeskChannel } : undefined,
  });
}

/** Login links, when an identity provider is configured: mounts their routes and returns the link maker. */
export function mountLogin(
  { config, http, storage, clock, logger }: Shared,
  turns: TurnHandler,
): PrepareMessage | undefined {
  if (!config.oidc) return undefined;
  // The schema allows http:// only on a loopback host: a developer's own identity provider.
  const localIssuer = isLocalIssuer(config.oidc.issuer);
  if (localIssuer)
    logger.warn(
      { issuer: config.oidc.issuer },
      'OIDC_ISSUER is a local http:// identity provider: for development only',
    );
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
  return login.prepareMessage;
}

/** Sends each outbound message to where its audience is. */
export function routeDeliveries({ slack, teams, webChat }: Channels, handoff: HandoffService, logger: Logger): Deliver {
  return async (delivery) => {
    // Both audiences of a web chat conversation go to the page: its side panel is the helpdesk.
    if (delivery.key.channel === 'local' && webChat) return webChat.deliver(delivery);
    if (audienceOf(delivery.message) === 'helpdesk') return handoff.deliver(delivery);
    if (delivery.key.channel === 'slack' && slack) return slack.deliver(delivery);
    if (delivery.key.channel === 'teams' && teams) return teams.deliver(delivery);
    logger.warn(
      { conversationId: delivery.conversationId, channel: delivery.key.channel },
      'no channel for this conversation',
    );
  };
}

export function createEngine(
  { config, storage, clock, metrics, logger }: Shared,
  deliver: Deliver,
  prepareMessage?: PrepareMessage,
): ConversationEngine {
  return new ConversationEngine({
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
    onDeadLetter: (letter) => {
      metrics.countDeadLetter(letter.channel, letter.reason);
      // Once per letter, and no message text: `dead-letters list` shows the item to an operator.
      logger.error(letter, 'delivery refused for good; moved to the dead letters, the conversation goes on');
    },
    onAudit: (entry, conversationId) => logger.info({ ...entry, conversationId }, 'audit: identity bound'),
    onError: (error, conversationId) => {
      metrics.countError(error.code);
      logger.error({ code: error.code, conversationId, cause: error.message }, 'delivery failed; kept in the outbox');
    },
  });
}

/**
 * The loops that run without a customer: due reminders, and the outbox of turns that died.
 * A failing pass (Redis down) is logged once, then summarised once a minute, and the
 * recovery once: not a line per poll.
 */
export function createLoops(
  { storage, clock, logger, budget }: Shared,
  engine: ConversationEngine,
): { reminders: ReminderRunner; sweeper: OutboxSweeper } {
  // Sweeps and reminders wait while customer turns hold half the budget (overload: they come first).
  const yielding = {
    handle: async (inbound: Parameters<ConversationEngine['handle']>[0]) => {
      await budget.room();
      return engine.handle(inbound);
    },
    flush: async (id: string) => {
      await budget.room();
      return engine.flush(id);
    },
  };
  const polls = new ThrottledLog(logger, { what: 'reminder poll', now: () => clock.now() });
  const sweeps = new ThrottledLog(logger, { what: 'outbox sweep', now: () => clock.now() });
  const reminders = new ReminderRunner({
    engine: yielding,
    scheduler: storage.scheduler,
    clock,
    onError: (error, entry) =>
      entry
        ? logger.error(
            { code: asAppError(error).code, conversationId: entry.conversationId },
            'reminder failed; retried after its lease',
          )
        : polls.failed({ code: asAppError(error).code, cause: asAppError(error).message }),
    onPoll: () => polls.succeeded(),
  });
  const sweeper = new OutboxSweeper({
    engine: yielding,
    store: storage.store,
    onError: (error, conversationId) =>
      conversationId
        ? logger.error({ code: asAppError(error).code, conversationId }, 'outbox sweep failed for a conversation')
        : sweeps.failed({ code: asAppError(error).code, cause: asAppError(error).message }),
    onPass: () => sweeps.succeeded(),
  });
  return { reminders, sweeper };
}

/** Campaigns need a shared queue: only with Redis. */
export function createCampaigns(
  { config, storage, metrics, logger, budget }: Shared,
  turns: TurnHandler,
  slack?: SlackChannel,
): CampaignParts | undefined {
  if (!storage.campaigns) return undefined;
  const campaigns = createCampaignParts({
    store: storage.campaigns,
    // Campaign starts wait while customer turns hold half the budget.
    turns: {
      handle: async (inbound) => {
        await budget.room();
        return turns.handle(inbound);
      },
      status: (key) => turns.status(key),
    },
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
  return campaigns;
}

/** The flow's answer to `stop` is the only prompt offering exactly "resume" and "restart". */
function isOptOut(messages: OutboundMessage[]): boolean {
  return messages.some(
    (message) =>
      message.kind === 'prompt' &&
      message.choices?.map((choice) => unstamp(choice.id).choiceId).join(',') === 'resume,restart',
  );
}

/** With Redis: one line, from one process, when Redis has lost the bot's data, with the reminders it took. */
export function createDataLossWatch({ storage, logger, options }: Shared): DataLossWatch | undefined {
  if (!storage.dataLoss) return undefined;
  return new DataLossWatch({
    ...storage.dataLoss,
    intervalMs: options.dataLossCheckMs,
    onLoss: (lostReminders) =>
      logger.error(
        { code: 'tsid_store_unavailable', lostReminders },
        `Redis lost the bot's data (FLUSHALL, or restarted without persistence): ${lostReminders} scheduled reminders are gone, and conversations start again`,
      ),
  });
}
