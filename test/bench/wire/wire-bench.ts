import {
  closeRedisConnection,
  createRedisConnection,
  waitUntilReady,
  type SingleNodeConnection,
} from '../../../src/store/redis-connection.js';
import { FakeSlackApi } from '../../adapters/slack/fake-slack-api.js';
import { channelToken, signingKey } from '../../adapters/teams/bot-tokens.js';
import { FakeConnector } from '../../adapters/teams/fake-connector.js';
import { startRedisServer, type RedisServer } from '../../support/redis.js';
import { BENCH_APP_ID, type BotSpec } from './bot-spec.js';
import { spawnBot, type BotProcess } from './bot-processes.js';
import { calibrate } from './calibrate.js';
import { closedLoop, type Script } from './closed-loop.js';
import { parkConversations, type ParkedReport } from './park.js';
import { processCpuMicros } from './proc-cpu.js';
import { callsBetween, commandCalls, redisPid } from './redis-probe.js';
import { SlackClient, slackRouter } from './slack-client.js';
import { median, quantile, round } from './stats.js';
import { TeamsClient, teamsRouter } from './teams-client.js';
import { FINISHED, WALKS } from './walks.js';
import { stepKind, type StepKind, type WireClient } from './wire-client.js';

export interface WireBenchOptions {
  concurrencies: number[];
  /** Rounds per (bot, channel, concurrency); the median is reported. */
  reps: number;
  warmupMs: number;
  measureMs: number;
  /** Conversations in play per round. */
  conversations: number;
  /** Conversations parked at the invite question for the memory figure. */
  parked: number;
  /** Of which walked over the wire (the rest are key-for-key copies). */
  parkedWalked: number;
  /** A Redis to use (an empty database: it is flushed at the end); default a private redis-server. */
  redisUrl?: string;
  /** Node flags for our bot's process (`--cpu-prof …`). */
  ourNodeFlags?: string[];
  /** Only the parked-conversation figure (`npm run bench -- --only parked`): our bot alone, no rounds. */
  onlyParked?: boolean;
  log?: (line: string) => void;
}

export type Channel = 'slack' | 'teams';
export type Bot = 'ours' | 'floor';

/** One bot on one channel at one concurrency: medians over the rounds. */
export interface Measured {
  turnsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  ackP50Ms: number;
  ackP99Ms: number;
  /** p50 latency of each kind of step the walks make (the floor's are all typed). */
  p50MsByKind: Partial<Record<StepKind, number>>;
  botCpuUsPerTurn: number;
  redisCpuUsPerTurn: number;
  /** `INFO commandstats` calls per turn (Redis also counts the commands a Lua script runs). */
  redisCallsPerTurn: number;
  /** The commands behind redisCallsPerTurn, per turn. */
  commandsPerTurn: Record<string, number>;
  turns: number;
  errors: number;
}

export interface ChannelReport {
  /** Worst over the concurrencies: ours / floor bot CPU per turn. */
  cpuRatio: number;
  /** Worst over the concurrencies: ours / floor turns per second. */
  tpsRatio: number;
  /** Our Slack ack (HTTP response) p99 at the highest concurrency, ms. */
  ackP99Ms64?: number;
  /** Redis round trips per request, by MONITOR during calibration (client commands naming the conversation; MULTI…EXEC once). */
  roundTripsPerTurn: { ours: Record<string, number>; floor: number };
  /**
   * Per kind of step, from the calibration walks (each request alone on the bot, so its latency
   * is what the step costs): our median over the floor's echo median, so a regression shows where
   * it is. (The closed loop's conversations rarely get past the walks' first steps.)
   */
  byStepKind: Partial<Record<StepKind, { oursP50Ms: number; floorP50Ms: number; ratio: number }>>;
  /** Per concurrency (`c16`, `c64`): both bots and their ratios. */
  byConcurrency: Record<
    string,
    { ours: Measured; floor: Measured; cpuRatio: number; tpsRatio: number; redisCpuRatio: number }
  >;
}

/** `--only parked`: the parked-conversation figure alone. */
export type ParkedReportOnly = Pick<WireReport, 'parkedBytes' | 'parked' | 'settings'>;

export interface WireReport {
  slack: ChannelReport;
  teams: ChannelReport;
  /** Redis bytes per parked conversation (used_memory growth / conversations). */
  parkedBytes: number;
  parked: ParkedReport;
  settings: Omit<WireBenchOptions, 'log' | 'ourNodeFlags'> & { seconds: number };
}

interface Round {
  turns: number;
  latencies: number[];
  acks: number[];
  latenciesByKind: Partial<Record<StepKind, number[]>>;
  botCpu: number;
  redisCpu: number;
  calls: Map<string, number>;
  errors: number;
  firstError?: string;
}

/**
 * The composed bot against the framework echo floors, over the real wire: signed Slack
 * requests to Bolt, token-checked Teams activities to the CloudAdapter, replies caught at
 * fake platform APIs, every bot in a process of its own on one private Redis.
 */
export async function runWireBench(options: WireBenchOptions & { onlyParked: true }): Promise<ParkedReportOnly>;
export async function runWireBench(options: WireBenchOptions): Promise<WireReport>;
export async function runWireBench(options: WireBenchOptions): Promise<WireReport | ParkedReportOnly> {
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  let server: RedisServer | undefined;
  const redisUrl = options.redisUrl ?? (server = await startRedisServer()).url;
  const connections: SingleNodeConnection[] = [];
  const connect = async () => {
    const connection = createRedisConnection(redisUrl, { commandTimeoutMs: 60_000 });
    await waitUntilReady(connection);
    connections.push(connection);
    return connection;
  };
  const probe = await connect();
  if (options.redisUrl && (await probe.dbSize()) > 0)
    throw new Error(
      `${options.redisUrl} is not empty: give the benchmark an empty database (it flushes it at the end)`,
    );
  const fakeSlack = await FakeSlackApi.start();
  const connector = await FakeConnector.start();
  const key = await signingKey('bench-key');
  connector.jwks = { keys: [key.jwk] };
  const token = await channelToken(key, { aud: BENCH_APP_ID, serviceurl: connector.serviceUrl, expiresInS: 6 * 3600 });
  const spec = (kind: BotSpec['kind']): BotSpec => ({
    kind,
    redisUrl,
    slackApiUrl: fakeSlack.apiUrl,
    openIdMetadataUrl: connector.openIdMetadataUrl,
  });
  const bots: BotProcess[] = [];
  try {
    // Started together; the ones that did start are stopped in `finally` if another failed.
    const started = await Promise.allSettled(
      (options.onlyParked ? (['ours'] as const) : (['ours', 'bolt-echo', 'teams-echo'] as const)).map((kind) =>
        spawnBot(spec(kind), kind === 'ours' ? options.ourNodeFlags : []),
      ),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') bots.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const [ours, boltEcho, teamsEcho] = bots;
    const slackRoutes = slackRouter(fakeSlack);
    const park = async (client: WireClient, messages: number[]) =>
      parkConversations({
        client,
        messages,
        probe,
        count: options.parked,
        walk: options.parkedWalked,
        concurrency: 64,
        log,
      });
    const { log: _log, ourNodeFlags: _flags, ...settings } = options;
    if (options.onlyParked) {
      const client = new SlackClient(ours.base, slackRoutes, fakeSlack);
      const walk = await calibrate(client, WALKS.existingOneCompany, 'UBENCHCALPARK', connect, FINISHED);
      const parked = await park(client, walk.script.messages);
      const seconds = Math.round((Date.now() - began) / 1000);
      return { parkedBytes: parked.usedMemoryPerConversation, parked, settings: { ...settings, seconds } };
    }
    const redisProcess = await redisPid(probe);
    const teamsRoutes = teamsRouter(connector);
    const clients: Record<Channel, Record<Bot, { client: WireClient; pid: number }>> = {
      slack: {
        ours: { client: new SlackClient(ours.base, slackRoutes, fakeSlack), pid: ours.pid },
        floor: { client: new SlackClient(boltEcho.base, slackRoutes, fakeSlack), pid: boltEcho.pid },
      },
      teams: {
        ours: { client: new TeamsClient(`${ours.base}/api/messages`, teamsRoutes, connector, token), pid: ours.pid },
        floor: {
          client: new TeamsClient(`${teamsEcho.base}/api/messages`, teamsRoutes, connector, token),
          pid: teamsEcho.pid,
        },
      },
    };

    // Calibration: each walk once per channel, alone; the floor's one echo per message.
    const scripts: Record<Channel, Record<Bot, Script[]>> = {
      slack: { ours: [], floor: [] },
      teams: { ours: [], floor: [] },
    };
    const alone: Record<Channel, { ours: Map<StepKind, number[]>; floor: number[] }> = {
      slack: { ours: new Map(), floor: [] },
      teams: { ours: new Map(), floor: [] },
    };
    const trips: Record<Channel, ChannelReport['roundTripsPerTurn']> = {
      slack: { ours: {}, floor: 0 },
      teams: { ours: {}, floor: 0 },
    };
    for (const channel of ['slack', 'teams'] as const) {
      const prefix = channel === 'slack' ? 'UBENCHCAL' : 'bench-cal-';
      for (const [name, steps] of Object.entries(WALKS)) {
        const calibrated = await calibrate(
          clients[channel].ours.client,
          steps,
          `${prefix}${name.toUpperCase()}`,
          connect,
          FINISHED,
        );
        scripts[channel].ours.push(calibrated.script);
        calibrated.script.requests.forEach((request, index) => {
          const kind = stepKind(request);
          alone[channel].ours.set(kind, [...(alone[channel].ours.get(kind) ?? []), calibrated.latencies[index]]);
        });
        trips[channel].ours[name] = round(calibrated.roundTrips);
        log(
          `calibrated ${channel} ${name}: ${calibrated.script.requests.length} requests, ${calibrated.script.messages.reduce((a, b) => a + b, 0)} messages`,
        );
      }
      const echo = Array.from({ length: 5 }, (_, i) => ({ say: `ciao ${i}` }));
      const floor = await calibrate(clients[channel].floor.client, echo, `${prefix}FLOOR`, connect, 'echo');
      scripts[channel].floor.push(floor.script);
      alone[channel].floor = floor.latencies;
      trips[channel].floor = round(floor.roundTrips);
    }

    // Rounds, interleaved: every (channel, concurrency) has ours and the floor back to back, order alternating.
    const rounds = new Map<string, Round[]>();
    let serial = 0;
    for (let rep = 0; rep < options.reps; rep++) {
      for (const concurrency of options.concurrencies) {
        for (const channel of ['slack', 'teams'] as const) {
          const order: Bot[] = rep % 2 === 0 ? ['ours', 'floor'] : ['floor', 'ours'];
          for (const bot of order) {
            const { client, pid } = clients[channel][bot];
            const marks: Record<string, { bot: number; redis: number; calls: Map<string, number> }> = {};
            const result = await closedLoop({
              client,
              scripts: scripts[channel][bot],
              concurrency,
              conversations: Math.max(options.conversations, concurrency),
              warmupMs: options.warmupMs,
              measureMs: options.measureMs,
              userPrefix: channel === 'slack' ? `UBENCH${serial}X` : `bench-${serial}-`,
              mark: async (edge) => {
                marks[edge] = {
                  bot: processCpuMicros(pid),
                  redis: processCpuMicros(redisProcess),
                  calls: await commandCalls(probe),
                };
              },
            });
            serial++;
            const round: Round = {
              turns: result.turns,
              latencies: result.latencies,
              acks: result.acks,
              latenciesByKind: result.latenciesByKind,
              botCpu: marks.end.bot - marks.start.bot,
              redisCpu: marks.end.redis - marks.start.redis,
              calls: callsBetween(marks.start.calls, marks.end.calls),
              errors: result.errors,
              firstError: result.firstError,
            };
            const id = `${channel}/${bot}/${concurrency}`;
            rounds.set(id, [...(rounds.get(id) ?? []), round]);
            log(
              `round ${rep + 1} ${id}: ${round.turns} turns, ${round.errors} errors${round.firstError ? ` (${round.firstError})` : ''}, ${round.turns > 0 ? Math.round(round.botCpu / round.turns) : '-'} µs bot CPU per turn`,
            );
          }
        }
      }
    }

    const existing = Object.keys(WALKS).indexOf('existingOneCompany');
    const messages = scripts.slack.ours[existing].messages;
    const parked = await park(clients.slack.ours.client, messages);
    const report = (channel: Channel): ChannelReport => {
      const byConcurrency: ChannelReport['byConcurrency'] = {};
      for (const concurrency of options.concurrencies) {
        const ours = summarise(rounds.get(`${channel}/ours/${concurrency}`)!, options.measureMs / 1000);
        const floor = summarise(rounds.get(`${channel}/floor/${concurrency}`)!, options.measureMs / 1000);
        byConcurrency[`c${concurrency}`] = {
          ours,
          floor,
          cpuRatio: round(ours.botCpuUsPerTurn / floor.botCpuUsPerTurn),
          tpsRatio: round(ours.turnsPerSecond / floor.turnsPerSecond),
          redisCpuRatio: round(ours.redisCpuUsPerTurn / floor.redisCpuUsPerTurn),
        };
      }
      const all = Object.values(byConcurrency);
      const highest = byConcurrency[`c${Math.max(...options.concurrencies)}`];
      const byStepKind: ChannelReport['byStepKind'] = {};
      const floorP50Ms = round(median(alone[channel].floor));
      for (const [kind, latencies] of alone[channel].ours) {
        const oursP50Ms = round(median(latencies));
        byStepKind[kind] = { oursP50Ms, floorP50Ms, ratio: round(oursP50Ms / floorP50Ms) };
      }
      return {
        cpuRatio: Math.max(...all.map((entry) => entry.cpuRatio)),
        tpsRatio: Math.min(...all.map((entry) => entry.tpsRatio)),
        ...(channel === 'slack' ? { ackP99Ms64: highest.ours.ackP99Ms } : {}),
        roundTripsPerTurn: trips[channel],
        byStepKind,
        byConcurrency,
      };
    };
    return {
      slack: report('slack'),
      teams: report('teams'),
      parkedBytes: parked.usedMemoryPerConversation,
      parked,
      settings: { ...settings, seconds: Math.round((Date.now() - began) / 1000) },
    };
  } finally {
    await Promise.all(bots.map((bot) => bot.stop()));
    if (options.redisUrl) await probe.flushDb();
    connections.forEach((connection) => connection.isOpen && closeRedisConnection(connection));
    await fakeSlack.close();
    await connector.close();
    await server?.dispose();
  }
}

function summarise(rounds: Round[], seconds: number): Measured {
  const per = (value: (round: Round) => number) =>
    median(rounds.map((round) => (round.turns > 0 ? value(round) / round.turns : NaN)));
  const commands = new Set(rounds.flatMap((round) => [...round.calls.keys()]));
  const commandsPerTurn: Record<string, number> = {};
  for (const command of commands) commandsPerTurn[command] = round(per((r) => r.calls.get(command) ?? 0));
  const p50MsByKind: Measured['p50MsByKind'] = {};
  for (const kind of new Set(rounds.flatMap((r) => Object.keys(r.latenciesByKind) as StepKind[]))) {
    p50MsByKind[kind] = round(
      median(rounds.map((r) => quantile(r.latenciesByKind[kind] ?? [], 0.5)).filter(Number.isFinite)),
    );
  }
  return {
    turnsPerSecond: round(median(rounds.map((r) => r.turns / seconds))),
    p50Ms: round(median(rounds.map((r) => quantile(r.latencies, 0.5)))),
    p95Ms: round(median(rounds.map((r) => quantile(r.latencies, 0.95)))),
    p99Ms: round(median(rounds.map((r) => quantile(r.latencies, 0.99)))),
    ackP50Ms: round(median(rounds.map((r) => quantile(r.acks, 0.5)))),
    ackP99Ms: round(median(rounds.map((r) => quantile(r.acks, 0.99)))),
    p50MsByKind,
    botCpuUsPerTurn: round(per((r) => r.botCpu)),
    redisCpuUsPerTurn: round(per((r) => r.redisCpu)),
    redisCallsPerTurn: round(per((r) => [...r.calls.values()].reduce((a, b) => a + b, 0))),
    commandsPerTurn,
    turns: rounds.reduce((sum, r) => sum + r.turns, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}
