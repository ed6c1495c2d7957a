import { afterAll, describe, expect, it } from '@jest/globals';
import { conversationId, type ConversationKey } from '../../src/engine/index.js';
import type { RedisTarget } from '../../src/store/redis-connection.js';
import {
  closeInstances,
  spawnInstance,
  startInstance,
  type ChildInstance,
  type Instance,
} from '../reliability/instances.js';

/** What one failover under load showed. */
export interface FailoverReport {
  /** Turns the bot finished between the kill and the moment it was ready again. */
  turnsDuringFailover: number;
  /** Turns that failed with tsid_store_unavailable (the customer is asked to retry). */
  failedFast: number;
  /** Other turn errors (should be none). */
  otherErrors: number;
  /** Turns acknowledged as saved whose effect is not in Redis afterwards. */
  lost: number;
  /** Conversations that started over (said "hello" twice). */
  resets: number;
  /** Reminders due during the failover that were never delivered / delivered more than once. */
  remindersMissing: number;
  reminderDuplicates: number;
  reminders: number;
  /** The readiness check (what /readyz answers) failed at least once after the kill ... */
  readinessFailed: boolean;
  /** ... and passed again this many seconds after the kill. */
  secondsToRecover: number;
}

const LOAD_PROCESSES = 3;
const CONVERSATIONS = 4;
const REMINDERS = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (user: string): ConversationKey => ({ channel: 'local', tenant: 'reliability', user });

/**
 * Three bot processes answer turns on conversations of their own (and run reminders) while
 * `kill` SIGKILLs a master; the test process plays the readiness probe with the store's
 * `ping()`, which is what `/readyz` calls. `busyKey` is the record key of the busiest
 * conversation, so the cluster test can kill the master of its slot.
 */
export async function failoverUnderLoad(options: {
  target: RedisTarget;
  prefix: string;
  kill: (busyRecordKey: string) => Promise<void>;
  children: ChildInstance[];
}): Promise<FailoverReport> {
  const { target, prefix } = options;
  const env = {
    REDIS_TARGET: JSON.stringify(target),
    PREFIX: prefix,
    MODE: 'load',
    CONVERSATIONS: String(CONVERSATIONS),
    REMINDERS: 'on',
    POLL_MS: '50',
    COMMAND_TIMEOUT_MS: '1000',
    // What storage.ts uses on Cluster / Sentinel; short leases so a reminder whose turn failed in the gap, and
    // the messages of a save whose answer was lost with the master (leased to the instance that gave up on them),
    // come back within the test rather than after the production leases (60 s and 30 s).
    REPLICA_WAIT_MS: '100',
    REMINDER_LEASE_MS: '3000',
    LEASE_MS: '3000',
  };
  for (let i = 0; i < LOAD_PROCESSES; i += 1) options.children.push(spawnInstance({ ...env, USER_ID: `p${i}` }));
  const children = options.children;
  await Promise.all(children.map(({ waitFor }) => waitFor((line) => line.t === 'ready', 30_000)));
  // The store's default command deadline (2 s), as the bot's /readyz has it.
  const probe: Instance = await startInstance({
    url: target,
    prefix,
    deliver: async () => undefined,
    commandTimeoutMs: 2000,
  });
  try {
    await sleep(1500);
    // Reminders on conversations of their own, falling due over the 5 s after the kill.
    const killAt = Date.now() + 300;
    const reminderUsers = Array.from({ length: REMINDERS }, (_, i) => `rem-${i}`);
    const queue = reminderUsers.map((user, i) => ({ user, dueAt: killAt + Math.round((i * 5000) / REMINDERS) }));
    const arm = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await probe.engine.handle({
          key: key(next.user),
          event: { type: 'user.choice', choiceId: `remind ${Math.max(1, next.dueAt - Date.now())}` },
        });
      }
    };
    await Promise.all(Array.from({ length: 5 }, arm));
    await sleep(Math.max(0, killAt - Date.now()));

    const doneNow = () => children.reduce((sum, { lines }) => sum + Number(lastStats(lines)?.done ?? 0), 0);
    const doneAtKill = doneNow();
    const killedAt = Date.now();
    await options.kill(`${prefix}:{${conversationId(key('p0-0'))}}:rec`);
    let readinessFailed = false;
    let recoveredAt = 0;
    while (Date.now() - killedAt < 60_000) {
      const ok = await probe.store.ping().then(
        () => true,
        () => false,
      );
      if (!ok) readinessFailed = true;
      if (ok && readinessFailed) {
        recoveredAt = Date.now();
        break;
      }
      await sleep(100);
    }
    await sleep(300); // the children's stats lines come every 250 ms
    const turnsDuringFailover = doneNow() - doneAtKill;

    // Keep the load on a little, and let every reminder come due and be delivered.
    const delivered = () =>
      children.flatMap(({ lines }) => lines).filter((line) => line.t === 'delivered' && line.text === 'reminder r1');
    const deadline = Date.now() + 20_000;
    await sleep(2000);
    while (new Set(delivered().map((line) => line.conversationId)).size < REMINDERS && Date.now() < deadline)
      await sleep(100);
    await sleep(500); // late duplicates would show here

    children.forEach(({ child }) => child.kill('SIGTERM'));
    await Promise.all(children.map(({ waitFor }) => waitFor((line) => line.t === 'bye', 10_000)));
    const finals = children.map(({ lines }) => lastStats(lines)!);

    let lost = 0;
    for (const stats of finals) {
      for (const [user, acked] of Object.entries(stats.acked as Record<string, number>)) {
        const record = await probe.store.load(conversationId(key(user)));
        const stored = (record?.snapshot as { context?: { count?: number } } | undefined)?.context?.count ?? 0;
        lost += Math.max(0, acked - stored);
      }
    }
    const hellos = new Map<string, number>();
    for (const line of children.flatMap(({ lines }) => lines)) {
      if (line.t === 'delivered' && line.text === 'hello')
        hellos.set(line.conversationId as string, (hellos.get(line.conversationId as string) ?? 0) + 1);
    }
    const perReminder = new Map<string, number>();
    for (const line of delivered())
      perReminder.set(line.conversationId as string, (perReminder.get(line.conversationId as string) ?? 0) + 1);
    return {
      turnsDuringFailover,
      failedFast: finals.reduce((sum, stats) => sum + Number(stats.failed), 0),
      otherErrors: finals.reduce((sum, stats) => sum + Number(stats.otherErrors), 0),
      lost,
      resets: [...hellos.values()].filter((count) => count > 1).length,
      remindersMissing: reminderUsers.filter((user) => !perReminder.has(conversationId(key(user)))).length,
      reminderDuplicates: [...perReminder.values()].reduce((sum, count) => sum + count - 1, 0),
      reminders: REMINDERS,
      readinessFailed,
      secondsToRecover: recoveredAt ? (recoveredAt - killedAt) / 1000 : Number.NaN,
    };
  } finally {
    closeInstances([probe]);
  }
}

function lastStats(lines: Record<string, unknown>[]): Record<string, unknown> | undefined {
  for (let i = lines.length - 1; i >= 0; i -= 1) if (lines[i].t === 'stats') return lines[i];
  return undefined;
}

/** Prints the report as `[figure]` lines. */
export function printFailoverFigures(name: string, report: FailoverReport): void {
  console.log(
    [
      `[figure] ${name} turns during failover: ${report.turnsDuringFailover}`,
      `[figure] ${name} turns failed fast: ${report.failedFast}`,
      `[figure] ${name} acknowledged turns lost: ${report.lost}`,
      `[figure] ${name} reminders due during failover: ${report.reminders}, missing ${report.remindersMissing}, duplicates ${report.reminderDuplicates}`,
      `[figure] ${name} seconds to recover: ${report.secondsToRecover.toFixed(1)}`,
    ].join('\n'),
  );
}

/**
 * One failover test: `start` brings the topology up, `kill` SIGKILLs the master (given the
 * busy conversation's record key). Asserts what the test's name says and prints the figures.
 */
export function describeFailover<T extends { dispose(): Promise<void> }>(options: {
  name: string;
  title: string;
  start: () => Promise<T>;
  target: (topology: T) => RedisTarget;
  kill: (topology: T, busyRecordKey: string) => Promise<void>;
}): void {
  const children: ChildInstance[] = [];
  let topology: T | undefined;
  afterAll(async () => {
    for (const { child } of children) child.kill('SIGKILL');
    await topology?.dispose();
  }, 30_000);

  describe(`Redis ${options.name} failover under load`, () => {
    it(`${options.title}, the bot reconnects by itself, at most 5 acknowledged turns lost (replica wait is best effort), no reset, every reminder due in the gap delivered`, async () => {
      const started = await options.start();
      topology = started;
      const report = await failoverUnderLoad({
        target: options.target(started),
        prefix: `test-ha-${options.name}-${Math.random().toString(36).slice(2, 8)}`,
        children,
        kill: (busyKey) => options.kill(started, busyKey),
      });
      printFailoverFigures(options.name, report);
      expect(report.readinessFailed).toBe(true);
      expect(report.secondsToRecover).toBeLessThan(60);
      expect(report.otherErrors).toBe(0);
      expect(report.lost).toBeLessThanOrEqual(5);
      expect(report.resets).toBe(0);
      expect(report.remindersMissing).toBe(0);
    }, 120_000);
  });
}
