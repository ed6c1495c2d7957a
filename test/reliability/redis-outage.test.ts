import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SlackOutcome } from '../../adapters/slack/index.js';
import { conversationId, systemText, type ConversationKey } from '../../src/engine/index.js';
import { AppError } from '../../src/errors.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { dmMessage } from '../adapters/slack/signed-request.js';
import { SlackHarness } from '../adapters/slack/slack-harness.js';
import { countOf, createCounterFlow } from './counter-flow.js';
import {
  closeInstances,
  newKey,
  recordingDeliver,
  spawnInstance,
  startInstances,
  type ChildInstance,
  type Instance,
} from './instances.js';
import { startRedisServer, type RedisServer } from '../support/redis.js';

const OUTAGE_MS = 10_000;
const COMMAND_TIMEOUT_MS = 500;
// An item claimed when Redis went away keeps its lease: the sweepers may retry it only after the lease.
const OUTBOX_LEASE_MS = 2000;
const prefix = 'outage';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sent: { conversationId: string; text: string; at: number }[] = [];
let server: RedisServer;
let instances: Instance[];
let sweepers: OutboxSweeper[];
let child: ChildInstance;
let slack: SlackHarness;
const SLACK_USERS = ['U1', 'U2', 'U3'];

beforeAll(async () => {
  // A Redis of its own (the shared one cannot be stopped), with an fsync-always AOF so a
  // stop and start keeps every acknowledged write.
  server = await startRedisServer({ persistent: true });
  instances = await startInstances(2, {
    url: server.url,
    prefix,
    deliver: recordingDeliver(sent),
    commandTimeoutMs: COMMAND_TIMEOUT_MS,
    outboxLeaseMs: OUTBOX_LEASE_MS,
  });
  sweepers = instances.map(({ engine, store }) => new OutboxSweeper({ engine, store }));
  sweepers.forEach((sweeper) => sweeper.start(200));
  child = spawnInstance({
    REDIS_URL: server.url,
    PREFIX: prefix,
    MODE: 'load',
    USER_ID: 'child',
    CONVERSATIONS: '5',
    COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
  });
  await child.waitFor((line) => line.t === 'ready');
  // Real Bolt over signed HTTP, posting to a fake Slack Web API, on the same Redis.
  slack = await SlackHarness.start({ flow: createCounterFlow(), store: () => instances[0].store });
  for (const user of SLACK_USERS) slack.fake.locales.set(user, 'en-US');
});
afterAll(async () => {
  await Promise.all(sweepers.map((sweeper) => sweeper.stop()));
  child.child.kill('SIGKILL');
  await slack.close();
  closeInstances(instances);
  await server.dispose();
});

interface Tally {
  done: number;
  failed: number;
}

/** One turn straight on an instance's engine; a failure is recorded with how long it took. */
async function engineTurn(
  instance: Instance,
  key: ConversationKey,
  tally: Tally,
  failures: { code: string; ms: number }[],
) {
  const started = Date.now();
  try {
    await instance.engine.handle({ key, event: { type: 'user.text', text: 'next' } });
    tally.done++;
  } catch (error) {
    tally.failed++;
    failures.push({ code: error instanceof AppError ? error.code : String(error), ms: Date.now() - started });
    await sleep(50);
  }
}

const slackOutcomesOf = (id: string) => slack.outcomes.filter((o) => 'conversationId' in o && o.conversationId === id);

/** One DM to the bot through Slack; resolves with what the adapter made of it. */
async function slackTurn(user: string): Promise<SlackOutcome> {
  const id = `slack:T1:${user}`;
  const before = slackOutcomesOf(id).length;
  await slack.slack.event(dmMessage(user, 'next'));
  await slack.fake.waitFor(() => slackOutcomesOf(id).length > before, `an outcome for ${id}`, 10_000);
  const outcome = slackOutcomesOf(id)[before];
  if (outcome.kind === 'failed') await sleep(50);
  return outcome;
}

describe('Redis stopped for 10 s under load, then restarted', () => {
  it('keeps every process up, fails turns fast, answers each failed Slack turn with a retry message, recovers alone, and loses nothing', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => newKey(`outage${i}`));
    const tallies = new Map<string, Tally>(keys.map((key) => [conversationId(key), { done: 0, failed: 0 }]));
    const failures: { code: string; ms: number }[] = [];
    const slackOutcomes = new Map<string, { outcome: SlackOutcome; phase: string }[]>(
      SLACK_USERS.map((user) => [user, []]),
    );
    const doneAfterRestart = [0, 0];
    let phase: 'before' | 'down' | 'after' = 'before';
    let running = true;
    const load = keys.map(async (key, i) => {
      for (let turn = 0; running; turn++) {
        const which = (i + turn) % 2;
        const tally = tallies.get(conversationId(key))!;
        const done = tally.done;
        await engineTurn(instances[which], key, tally, failures);
        if (phase === 'after' && tally.done > done) doneAfterRestart[which]++;
      }
    });
    const slackLoad = SLACK_USERS.map(async (user) => {
      while (running) {
        const at = phase;
        slackOutcomes.get(user)!.push({ outcome: await slackTurn(user), phase: at });
      }
    });

    await sleep(1000);
    await server.stop();
    phase = 'down';
    const childBefore = child.lines.filter((l) => l.t === 'stats').at(-1)?.done as number;
    await sleep(OUTAGE_MS);
    await server.start();
    phase = 'after';
    const recoveryDeadline = Date.now() + 10_000;
    while (doneAfterRestart.some((n) => n < 5) && Date.now() < recoveryDeadline) await sleep(50);
    await sleep(1000);
    running = false;
    await Promise.all([...load, ...slackLoad]);

    // The child process: alive all along, only store-unavailable failures, working again.
    expect(child.child.exitCode).toBeNull();
    const childStats = child.lines.filter((l) => l.t === 'stats').at(-1)!;
    child.child.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(childStats.failed).toBeGreaterThan(0);
    expect(childStats.otherErrors).toBe(0);
    expect(childStats.done as number).toBeGreaterThan(childBefore);

    // This process: every failed turn was a quick tsid_store_unavailable.
    expect(failures.length).toBeGreaterThan(0);
    expect(new Set(failures.map((f) => f.code))).toEqual(new Set(['tsid_store_unavailable']));
    expect(Math.max(...failures.map((f) => f.ms))).toBeLessThan(3000);
    expect(doneAfterRestart.every((n) => n >= 5)).toBe(true);

    // Slack: each failed turn got the retry message in the user's DM, as the Web API received
    // it, and nothing else failed; each user's turns work again after the restart.
    const retryText = systemText('retryLater', 'en');
    let slackFailed = 0;
    for (const user of SLACK_USERS) {
      const outcomes = slackOutcomes.get(user)!;
      const failed = outcomes.filter(({ outcome }) => outcome.kind === 'failed');
      expect(failed.map(({ outcome }) => outcome.kind === 'failed' && outcome.code)).toEqual(
        failed.map(() => 'tsid_store_unavailable'),
      );
      expect(slack.posted(`D${user}`).filter((text) => text === retryText)).toHaveLength(failed.length);
      expect(
        outcomes.some(
          ({ outcome, phase: at }) => at === 'after' && outcome.kind === 'turn' && outcome.status === 'done',
        ),
      ).toBe(true);
      slackFailed += failed.length;
    }
    expect(slackFailed).toBeGreaterThan(0);

    // Every conversation intact: revisions match the state, every committed turn's reply delivered.
    const drained = async () =>
      (await Promise.all(keys.map((key) => instances[0].store.pendingOutbox(conversationId(key))))).every(
        (items) => items.length === 0,
      );
    const drainDeadline = Date.now() + 4 * OUTBOX_LEASE_MS;
    while (!(await drained()) && Date.now() < drainDeadline) {
      await Promise.all(sweepers.map((sweeper) => sweeper.sweep()));
      await sleep(100);
    }
    let duplicates = 0;
    for (const key of keys) {
      const id = conversationId(key);
      const { done, failed } = tallies.get(id)!;
      const record = (await instances[0].store.load(id))!;
      expect(record.revision).toBeGreaterThanOrEqual(done);
      expect(record.revision).toBeLessThanOrEqual(done + failed); // a timed-out save may still have landed
      expect(countOf(record.snapshot)).toBe(record.revision - 1);
      expect(await instances[0].store.pendingOutbox(id)).toEqual([]);
      const counts = sent.filter((d) => d.conversationId === id && d.text.startsWith('count ')).map((d) => d.text);
      expect(new Set(counts)).toEqual(new Set(Array.from({ length: record.revision - 1 }, (_, n) => `count ${n + 1}`)));
      duplicates += counts.length - new Set(counts).size;
    }
    const done = [...tallies.values()].reduce((sum, t) => sum + t.done, 0);
    console.log(
      `[figure] Redis down ${OUTAGE_MS} ms under load: ${done} turns done, ${failures.length} failed fast ` +
        `(slowest ${Math.max(...failures.map((f) => f.ms))} ms); ${slackFailed} Slack turns failed, each answered with a retry; child process ${childStats.done} done / ${childStats.failed} failed, ` +
        `0 exits; ${duplicates} duplicate replies`,
    );
  }, 45_000);
});
