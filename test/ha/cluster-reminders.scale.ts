/**
 * Not part of `npm test` (100,000 reminder turns take a while on 2 cores): `npm run test:scale`.
 * Prints the figures the README quotes. Sizes from the environment: SCALE_REMINDERS (parked
 * conversations due at one minute's start, default 100,000), SCALE_SECOND_REMINDERS (due in
 * one second, default 10,000), SCALE_ARM_CONCURRENCY (conversations armed at once, default 256),
 * SCALE_ARM_RATE (conversations armed per second assumed when picking the due time); and the bot
 * processes' reminder runner: SCALE_BATCH (claimed per pass, default 50), SCALE_CONCURRENCY (turns
 * at once, default the runner's), SCALE_POLL_MS (default 50), SCALE_CPU_PROF (a directory: profile them).
 */
import { loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { conversationId } from '../../src/engine/index.js';
import {
  closeInstances,
  newKey,
  spawnInstance,
  startInstance,
  type ChildInstance,
  type Instance,
} from '../reliability/instances.js';
import { uniquePrefix } from '../support/redis.js';
import { RedisClusterTopology } from '../support/redis-topologies.js';
import { armParked } from './scale/arm-parked.js';
import { callsPer, clusterCalls, masterClients, memoryByKind, usedMemory } from './scale/cluster-memory.js';
import { CpuSplit } from './scale/cpu-seconds.js';
import { DeliveryTally } from './scale/deliveries.js';

const env = (name: string, fallback: number) => Number(process.env[name] || fallback);
const MINUTE_REMINDERS = env('SCALE_REMINDERS', 100_000);
const SECOND_REMINDERS = env('SCALE_SECOND_REMINDERS', 10_000);
const ARM_CONCURRENCY = env('SCALE_ARM_CONCURRENCY', 256);
const ARM_RATE = env('SCALE_ARM_RATE', 2_000);
/** How long after the due time the test waits for the last delivery (past the goal: the figure still comes). */
const WAIT_MS = env('SCALE_WAIT_MS', 180_000);
const USER = /p\d+-[0-9a-f]{8}/;
/** SCALE_CPU_PROF=<dir>: the bot processes write V8 CPU profiles there (--cpu-prof). */
const PROFILE = process.env.SCALE_CPU_PROF;

const children: ChildInstance[] = [];
let cluster: RedisClusterTopology | undefined;
const arming: Instance[] = [];

beforeAll(async () => {
  cluster = await RedisClusterTopology.start();
}, 60_000);

afterAll(async () => {
  for (const { child } of children) child.kill('SIGKILL');
  closeInstances(arming);
  await cluster?.dispose();
}, 30_000);

const loads = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');

interface Run {
  count: number;
  dueAt: number;
  armedMs: number;
  tally: DeliveryTally;
  keys: string[];
  /** used_memory growth over the 3 masters per parked conversation, and MEMORY USAGE by kind. */
  memory?: { usedPerConversation: number; byKind: Awaited<ReturnType<typeof memoryByKind>> };
}

/**
 * Parks `count` conversations with reminder r1 due at `pickDueAt(earliest)` (earliest: when
 * the arming and the processes' start should be over), starts 3 bot processes, and waits
 * for every delivery (or `WAIT_MS` past the due time).
 */
async function parkAndDeliver(count: number, pickDueAt: (earliest: number) => number, measure: boolean): Promise<Run> {
  const target = { kind: 'cluster' as const, nodes: cluster!.urls };
  const prefix = uniquePrefix('scale');
  // One conversation is armed through an ordinary turn; the others are copies of it (armParked).
  const instance = await startInstance({ url: target, prefix, deliver: async () => undefined });
  arming.push(instance);
  const masters = await masterClients(instance.connection);
  const before = measure ? await usedMemory(masters) : 0;
  const dueAt = pickDueAt(Date.now() + (count / ARM_RATE) * 1000 + 15_000);
  const keys = Array.from({ length: count }, (_, i) => newKey(`p${i}`));
  await instance.engine.handle({
    key: keys[0],
    event: { type: 'user.choice', choiceId: `remind ${dueAt - Date.now()}` },
  });
  const armedMs = await armParked(instance, keys[0], keys.slice(1), dueAt, ARM_CONCURRENCY);
  const memory = measure
    ? {
        usedPerConversation: ((await usedMemory(masters)) - before) / count,
        byKind: await memoryByKind(masters, prefix, USER, count),
      }
    : undefined;

  // The bot processes start after the arming, so it has the machine to itself.
  const env = {
    REDIS_TARGET: JSON.stringify(target),
    PREFIX: prefix,
    MODE: 'reminders',
    POLL_MS: process.env.SCALE_POLL_MS || '50',
    REMINDER_BATCH: process.env.SCALE_BATCH || '',
    REMINDER_CONCURRENCY: process.env.SCALE_CONCURRENCY || '',
  };
  const nodeArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];
  const started = [1, 2, 3].map(() => spawnInstance(env, undefined, nodeArgs));
  children.push(...started);
  await Promise.all(started.map(({ waitFor }) => waitFor((line) => line.t === 'ready', 30_000)));
  if (Date.now() >= dueAt)
    throw new Error(`arming overran the due time by ${Date.now() - dueAt} ms: lower SCALE_ARM_RATE`);
  const roles = await Promise.all(cluster!.nodes.map(async (node) => [node, await node.cli('ROLE')] as const));
  const redis = (role: string) => roles.filter(([, is]) => is.startsWith(role)).map(([node]) => node.pid);
  console.log(`[figure] load average when the reminders came due (${count}): ${await untilThen(dueAt, loads)}`);
  // Where the CPU goes while the reminders are delivered (2 cores: at most 2 s per second).
  const cpu = new CpuSplit({
    'bot processes': () => started.map(({ child }) => child.pid),
    'Redis masters': () => redis('master'),
    'Redis replicas': () => redis('slave'),
    'test process': () => [process.pid],
  });
  const callsBefore = await clusterCalls(masters);

  const tally = new DeliveryTally(started, 'reminder r1');
  while (tally.total < count && Date.now() < dueAt + WAIT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    tally.update();
  }
  const cpuUsed = `${cpu.since()} in ${Date.now() - dueAt} ms`;
  const calls = callsPer(callsBefore, await clusterCalls(masters), count);
  await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show here
  tally.update();
  console.log(`[figure] CPU while ${count} reminders were delivered: ${cpuUsed}`);
  console.log(`[figure] Redis commands per reminder delivered (3 masters, commandstats): ${calls}`);
  console.log(`[figure] load average after the deliveries (${count}): ${loads()}`);
  // The next case gets the machine. A profiled process writes its profile as it exits on SIGTERM.
  for (const { child } of started) child.kill(PROFILE ? 'SIGTERM' : 'SIGKILL');
  await Promise.all(started.map(({ exited }) => exited));
  return { count, dueAt, armedMs, tally, keys: keys.map(conversationId), memory };
}

async function untilThen<T>(at: number, read: () => T): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
  return read();
}

function printCommon(run: Run, what: string): void {
  const { tally, count } = run;
  const lateness = (at: number) => (at === undefined ? 'never' : `${at - run.dueAt} ms`);
  console.log(
    `[figure] ${what}: last delivered ${lateness(Math.max(...tally.at))} after the due time` +
      ` (half by ${lateness(tally.nth(count / 2))}), ${tally.total} of ${count} delivered`,
  );
  console.log(`[figure] ${what}: deliveries per process ${tally.perProcess.join(' / ')}`);
  console.log(
    `[figure] ${what}: duplicates ${tally.duplicates}, conversations missed ${count - tally.perConversation.size}`,
  );
  console.log(
    `[figure] ${what}: arming took ${run.armedMs} ms (${Math.round((count / run.armedMs) * 1000)} conversations/s, ` +
      `${ARM_CONCURRENCY} at once, not what is measured)`,
  );
}

const exactlyOnce = (run: Run) => run.keys.filter((id) => run.tally.perConversation.get(id) !== 1);

describe('reminders at scale on a 3-master cluster, 3 bot processes', () => {
  it(`delivers ${SECOND_REMINDERS} reminders due in the same second exactly once each (prints how late the last one was)`, async () => {
    const run = await parkAndDeliver(SECOND_REMINDERS, (earliest) => Math.ceil(earliest / 1000) * 1000 + 100, false);
    printCommon(run, `${SECOND_REMINDERS} due in one second (goal 10000 ms)`);
    expect(exactlyOnce(run)).toEqual([]);
  }, 600_000);

  it(`parks ${MINUTE_REMINDERS} conversations with reminders due at one minute's start and delivers each exactly once within 60 s (prints lateness and Redis bytes per parked conversation)`, async () => {
    const run = await parkAndDeliver(MINUTE_REMINDERS, (earliest) => Math.ceil(earliest / 60_000) * 60_000, true);
    const what = `${MINUTE_REMINDERS} due at one minute's start (goal 60000 ms)`;
    printCommon(run, what);
    const { usedPerConversation, byKind } = run.memory!;
    console.log(
      `[figure] Redis used_memory growth per parked conversation (3 masters): ${Math.round(usedPerConversation)} B`,
    );
    const kinds = Object.entries(byKind).sort(([, a], [, b]) => b.bytesPerConversation - a.bytesPerConversation);
    console.log(
      `[figure] Redis MEMORY USAGE per parked conversation: ${Math.round(
        kinds.reduce((sum, [, usage]) => sum + usage.bytesPerConversation, 0),
      )} B = ` +
        kinds
          .map(([kind, usage]) => `${kind} ${Math.round(usage.bytesPerConversation)} B (${usage.keys} keys)`)
          .join(', '),
    );
    expect(exactlyOnce(run)).toEqual([]);
    expect(Math.max(...run.tally.at) - run.dueAt).toBeLessThanOrEqual(60_000);
  }, 900_000);
});
