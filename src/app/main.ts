/**
 * The composition root: `npm start` runs it. `startBot` assembles the parts that
 * bot-parts.ts builds; `runProcess` adds configuration, crash handlers and signals.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TeamsAuthOptions } from '../../adapters/teams/index.js';
import type { CampaignParts } from '../campaign/index.js';
import { loadConfig, type Config } from '../config/load-config.js';
import { isLoopbackHost } from '../config/env-types.js';
import type { ConversationEngine } from '../engine/index.js';
import { asAppError } from '../errors.js';
import { systemClock, type Clock } from '../scheduler/clock.js';
import {
  createCampaigns,
  createBudget,
  createChannels,
  createDataLossWatch,
  createDrainer,
  createEngine,
  createHandoff,
  createLoops,
  createOverflow,
  createTurns,
  mountBudget,
  mountLogin,
  routeDeliveries,
  type Channels,
  type Shared,
} from './bot-parts.js';
import { routeConsoleToLogger } from './console-bridge.js';
import { installCrashHandlers } from './crash-handlers.js';
import { DrainGate } from './drain-gate.js';
import { isEntryPoint } from './entry-point.js';
import { InFlightTurns } from './in-flight-turns.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { createHttpApp, listen } from './server.js';
import { shutDown, type ShutdownReport } from './shutdown.js';
import { createStorage } from './storage.js';

export interface RunningBot {
  server: Server;
  engine: ConversationEngine;
  /** The graceful shutdown of SIGTERM: finishes the work in flight within `timeoutMs` (default SHUTDOWN_TIMEOUT). */
  stop(timeoutMs?: number): Promise<ShutdownReport>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Listen on this host (default: HOST). */
  host?: string;
  /** How often due reminders are looked for (default 1 s). */
  pollIntervalMs?: number;
  /** Teams token keys and outbound credentials from elsewhere (the benchmark's local JWKS; default Microsoft's). */
  teamsAuth?: TeamsAuthOptions;
  /** Least time between two Slack posts to one channel (default 1000 ms, Slack's limit; the benchmark sets 0). */
  slackMinPostIntervalMs?: number;
  /** How often Redis is checked for a loss of its data (default 10 s). */
  dataLossCheckMs?: number;
  /** How long the overflow inbox waits before running a failed turn again (default 5 s). */
  inboxRetryMs?: number;
}

/** Builds every part from the configuration, wires them, and starts listening. */
export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const storage = createStorage(config, clock, logger, metrics.redisObserver);
  const gate = new DrainGate();
  const inFlight = new InFlightTurns();
  let channels: Channels | undefined;
  let drainer: ReturnType<typeof createDrainer>;
  // Slack's acknowledged work and the overflow inbox's turns count against the budget too.
  const budget = createBudget(
    config,
    metrics,
    inFlight,
    () => (channels?.slack?.pendingRequests ?? 0) + (drainer?.active ?? 0),
  );
  const http = createHttpApp({
    readiness: () => storage.store.ping(),
    metrics: () => metrics.exposition(),
    gate,
    busy: () => budget.refusal() !== undefined,
  });
  const overflow = createOverflow({ storage, metrics, logger });
  const shared: Shared = { config, options, clock, logger, metrics, storage, http, budget, overflow };
  mountBudget(http, budget, overflow);

  // The channels and the engine need each other: the channels reach the engine late, through `turns`.
  let engine: ConversationEngine | undefined;
  let campaigns: CampaignParts | undefined;
  const turns = createTurns(shared, inFlight, () => engine!);
  const handoff = createHandoff(shared, turns);
  channels = createChannels(shared, turns, handoff, () => campaigns?.service);
  const prepareMessage = mountLogin(shared, turns);
  const deliver = routeDeliveries(channels, handoff, logger);
  engine = createEngine(shared, deliver, prepareMessage);
  const { reminders, sweeper } = createLoops(shared, engine);
  campaigns = createCampaigns(shared, turns, channels.slack);
  drainer = createDrainer(shared, turns, deliver, channels.slack);
  const dataLoss = createDataLossWatch(shared);

  await channels.slack?.start();
  const server = await listen(http, config.port, options.host ?? config.host);
  reminders.start(options.pollIntervalMs);
  sweeper.start();
  drainer?.start();
  dataLoss?.start();
  campaigns?.runner.start();
  logStarted(shared, channels, server);

  const { slack } = channels;
  return {
    server,
    engine,
    stop: (timeoutMs = config.shutdownTimeoutMs) =>
      shutDown(
        {
          gate,
          server,
          turns: inFlight,
          loops: [reminders, sweeper, ...[drainer, dataLoss, campaigns?.runner].filter((loop) => loop !== undefined)],
          busy: {
            slackRequests: () => slack?.pendingRequests ?? 0,
            slackPosts: () => slack?.pendingPosts ?? 0,
            reacks: () => engine?.pendingAcks ?? 0,
          },
          stopIntake: async () => slack?.stop(),
          close: async () => storage.close(),
          logger,
        },
        timeoutMs,
      ),
  };
}

function logStarted({ config, storage, logger }: Shared, { slack, teams, webChat }: Channels, server: Server): void {
  const teamsMode = teams ? (teams.authEnabled ? 'authenticated' : 'emulator') : 'off';
  const { address: host, port } = server.address() as AddressInfo;
  logger.info(
    {
      host,
      port,
      storage: storage.kind,
      slack: !!slack,
      teams: teamsMode,
      oidc: !!config.oidc,
      webChat: !!webChat,
    },
    `tsid-assistant started, listening on ${host}:${port}`,
  );
  const unauthenticated = !!webChat || teamsMode === 'emulator';
  if (unauthenticated && !isLoopbackHost(host) && host !== '::1') {
    logger.warn(
      { host },
      'the web chat or the Teams Emulator endpoint (no authentication) listens beyond this machine',
    );
  }
  if (webChat) logger.info(`local web chat: open http://localhost:${port}/`);
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
  routeConsoleToLogger(logger.child({ part: 'console' }));
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
