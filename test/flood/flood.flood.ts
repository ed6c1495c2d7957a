/**
 * The flood test (`npm run test:flood`, not part of `npm test`): FLOOD_N (default 500) new
 * Slack conversations at once against one bot process, then three on one Redis, through a
 * simulated Slack that retries refused requests as Slack does (compressed). Loopback only:
 * its own redis-server, a fake Slack Web API, bot processes of its own.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeSlackApi } from '../adapters/slack/fake-slack-api.js';
import { spawnPortPrinter, type BotProcess } from '../bench/wire/bot-processes.js';
import { freePort } from '../support/global-setup.js';
import { RedisNode } from '../support/redis-topologies.js';
import { flood } from './flood-load.js';

const N = Number(process.env.FLOOD_N ?? 500);
const CONCURRENCY = Number(process.env.FLOOD_CONCURRENCY ?? 64);
/**
 * Slack's 1 s, 1 min, 5 min retries, divided by this (FLOOD_COMPRESS): 10 keeps the last
 * retry (30 s) within reach of a flood that lasts tens of seconds, as 5 min is of a real one.
 */
const COMPRESS = Number(process.env.FLOOD_COMPRESS ?? 10);
/**
 * Node flags for the bot processes: those `npm start` gives node (package.json, e.g. the heap
 * limits), then FLOOD_NODE_FLAGS (space-separated) to try others.
 */
const NODE_FLAGS = [...startFlags(), ...(process.env.FLOOD_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
/** After the last acknowledgement, how long every acknowledged conversation has to be answered. */
const SETTLE_MS = 300_000;
const BOT = fileURLToPath(new URL('./flood-bot.ts', import.meta.url));

let redis: RedisNode;
let redisUrl: string;
let fake: FakeSlackApi;
/** DM channel → intro posts (each new conversation gets exactly one). */
const posts = new Map<string, number>();
/** DM channels told "Non riesco a salvare…" (a turn that failed after its acknowledgement). */
const failedNotices = new Set<string>();

beforeAll(async () => {
  const port = await freePort();
  redis = new RedisNode(port, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await redis.start();
  redisUrl = `redis://127.0.0.1:${port}`;
  fake = await FakeSlackApi.start();
  fake.keepCalls = false;
  fake.onCall = (call) => {
    if (call.method !== 'chat.postMessage') return;
    posts.set(String(call.args.channel), (posts.get(String(call.args.channel)) ?? 0) + 1);
    if (String(call.args.text).startsWith('Non riesco a salvare')) failedNotices.add(String(call.args.channel));
  };
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await redis?.kill();
});

function spawnBot(prefix: string): Promise<BotProcess> {
  const spec = JSON.stringify({ redisUrl, prefix, slackApiUrl: fake.apiUrl });
  // FLOOD_LOG_DIR: every bot's log (warn and above) in <dir>/flood-bot-<n>.log, to see why.
  const dir = process.env.FLOOD_LOG_DIR;
  const stderrTo = dir ? createWriteStream(`${dir}/flood-bot-${++botsStarted}.log`) : undefined;
  return spawnPortPrinter(BOT, spec, { name: 'flood bot', nodeFlags: NODE_FLAGS, stderrTo });
}
let botsStarted = 0;

/** The `--flags` the package's start script gives node before the entry. */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(' ').filter((word) => word.startsWith('--'));
}

/** The bots' /metrics, read once each (figures from one moment). */
async function metricsOf(bots: BotProcess[]): Promise<string[][]> {
  return Promise.all(bots.map(async (bot) => (await (await fetch(`${bot.base}/metrics`)).text()).split('\n')));
}

/** A metric line's value in each bot's exposition: summed, or the largest. */
function metricOf(texts: string[][], line: string, combine: 'sum' | 'max' = 'sum'): number {
  const values = texts.map((lines) => Number(lines.find((l) => l.startsWith(line))?.split(' ')[1] ?? 0));
  return combine === 'sum' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
}

/** Redis operations of the bots (all, over 100 ms, over 500 ms, failed) and the most at once in one bot. */
function redisFigures(texts: string[][]) {
  const bucket = (le: string) => metricOf(texts, `tsid_redis_operation_seconds_bucket{le="${le}",outcome="ok"}`);
  const all = metricOf(texts, 'tsid_redis_operation_seconds_count{outcome="ok"}');
  return {
    operations: all,
    over100ms: all - bucket('0.1'),
    over500ms: all - bucket('0.5'),
    failed: metricOf(texts, 'tsid_redis_operation_seconds_count{outcome="failed"}'),
    inFlightMax: metricOf(texts, 'tsid_redis_operations_in_flight_max', 'max'),
  };
}

/** Peak resident set size of a process so far (Linux VmHWM), MB. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.match(/\d+/)?.[0] ?? 0) / 1024);
}

const percentile = (values: number[], p: number) =>
  values.length === 0
    ? 0
    : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function scenario(label: string, processes: number): Promise<void> {
  posts.clear();
  failedNotices.clear();
  const prefix = `flood-${processes}-${Date.now()}`;
  const bots = await Promise.all(Array.from({ length: processes }, () => spawnBot(prefix)));
  try {
    const started = Date.now();
    const load = await flood(
      bots.map((bot) => bot.base),
      N,
      CONCURRENCY,
      COMPRESS,
    );
    const answeredOf = () => [...load.acknowledged].filter((id) => (posts.get(`DUF${id}`) ?? 0) > 0).length;
    const deadline = Date.now() + SETTLE_MS;
    while (answeredOf() < load.acknowledged.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const answeredAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a late duplicate
    const answered = answeredOf();
    const duplicates = [...posts.values()].filter((count) => count > 1).length;
    const rss = Math.max(...bots.map((bot) => peakRssMb(bot.pid)));
    const texts = await metricsOf(bots);
    const queued = metricOf(texts, 'tsid_turns_queued_total{channel="slack"}');
    const redisOps = redisFigures(texts);
    const seconds = (answeredAt - started) / 1000;
    const figure = (name: string, value: string | number) => console.log(`[figure] flood ${label} ${name}: ${value}`);
    figure('conversations', N);
    figure('acknowledged', load.acknowledged.size);
    figure('answered', answered);
    figure('queued to the overflow inbox (acknowledged, answered later)', queued);
    figure('refused (requests, retried by Slack)', load.refused);
    figure('of which timeouts (no answer within 3 s)', load.timeouts);
    figure('given up by Slack after 3 retries', load.gaveUp);
    figure('acknowledged-but-never-answered', load.acknowledged.size - answered);
    figure('duplicates', duplicates);
    figure("of which a failed turn's notice then the answer", failedNotices.size);
    figure('peak RSS per process (MB)', rss);
    figure('p99 ack of accepted (ms)', percentile(load.ackMs, 0.99));
    figure('throughput (answered/s)', (answered / Math.max(seconds, 0.001)).toFixed(0));
    figure('Redis operations', redisOps.operations);
    figure('Redis operations over 100 ms', redisOps.over100ms);
    figure('Redis operations over 500 ms', redisOps.over500ms);
    figure('Redis operations failed (timeouts included)', redisOps.failed);
    figure('Redis operations in flight at once, most in one process', redisOps.inFlightMax);
    expect(load.acknowledged.size - answered).toBe(0);
    expect(duplicates).toBe(0);
    expect(load.acknowledged.size + load.gaveUp).toBe(N);
    expect(load.gaveUp).toBe(0);
  } finally {
    await Promise.all(bots.map((bot) => bot.stop()));
  }
}

describe(`a flood of ${N} new Slack conversations`, () => {
  it('one process: every conversation acknowledged (past the budget via the overflow inbox) and answered once', async () => {
    await scenario('1 process', 1);
  }, 900_000);
  it('three processes on one Redis: the same', async () => {
    await scenario('3 processes', 3);
  }, 900_000);
});
