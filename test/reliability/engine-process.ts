/**
 * One bot instance in its own process, for the multi-process reliability tests. Speaks
 * JSON lines on stdout. Environment: REDIS_URL (or REDIS_TARGET, a RedisTarget as JSON), PREFIX, MODE, and per mode:
 * - `reminders`: runs a ReminderRunner (REMINDER_BATCH, default 50; REMINDER_CONCURRENCY, default the
 *   runner's) and an OutboxSweeper; prints every delivery.
 * - `load`: keeps answering turns on CONVERSATIONS conversations of its own (USER_ID-0, -1, ...); prints stats
 *   (with `acked`: turns saved per conversation); with REMINDERS=on it also runs a ReminderRunner
 *   (REMINDER_LEASE_MS) and an OutboxSweeper. REPLICA_WAIT_MS: the store's replicaWaitMs.
 * SIGTERM ends `reminders` and `load` cleanly (exit code 0).
 */
import { AppError } from '../../src/errors.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { systemClock } from '../../src/scheduler/clock.js';
import { closeRedisConnection, type RedisTarget } from '../../src/store/redis-connection.js';
import { textOf } from './counter-flow.js';
import { startInstance } from './instances.js';
import type { Deliver } from '../../src/engine/index.js';

const env = (name: string) => process.env[name] ?? '';
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const printDelivery: Deliver = async ({ conversationId, message }) => {
  say({ t: 'delivered', conversationId, text: textOf(message), at: Date.now(), pid: process.pid });
};

const mode = env('MODE');
const instance = await startInstance({
  url: env('REDIS_TARGET') ? (JSON.parse(env('REDIS_TARGET')) as RedisTarget) : env('REDIS_URL'),
  prefix: env('PREFIX'),
  deliver: printDelivery,
  outboxLeaseMs: Number(env('LEASE_MS') || 30_000),
  commandTimeoutMs: Number(env('COMMAND_TIMEOUT_MS') || 2000),
  replicaWaitMs: Number(env('REPLICA_WAIT_MS') || 0),
});
const stops: (() => Promise<void> | void)[] = [];
process.once('SIGTERM', () => void stopAll());
async function stopAll(): Promise<void> {
  for (const stop of stops) await stop();
  closeRedisConnection(instance.connection);
  say({ t: 'bye' });
  process.exit(0);
}

if (mode === 'reminders') {
  const runner = new ReminderRunner({
    engine: instance.engine,
    scheduler: instance.scheduler,
    clock: systemClock,
    batchSize: Number(env('REMINDER_BATCH') || 50),
    concurrency: Number(env('REMINDER_CONCURRENCY')) || undefined,
  });
  const sweeper = new OutboxSweeper({ engine: instance.engine, store: instance.store });
  runner.start(Number(env('POLL_MS') || 50));
  sweeper.start(1000);
  stops.push(
    () => runner.stop(),
    () => sweeper.stop(),
  );
  say({ t: 'ready', pid: process.pid });
} else if (mode === 'load') {
  const stats = { done: 0, failed: 0, otherErrors: 0, slowestFailureMs: 0, acked: {} as Record<string, number> };
  if (env('REMINDERS') === 'on') {
    const leaseMs = Number(env('REMINDER_LEASE_MS') || 60_000);
    const runner = new ReminderRunner({
      engine: instance.engine,
      scheduler: instance.scheduler,
      clock: systemClock,
      batchSize: 50,
      leaseMs,
      onError: (error, entry) =>
        say({ t: 'reminder-error', conversationId: entry?.conversationId, error: String(error), at: Date.now() }),
    });
    // As in main.ts: the sweeper delivers what a turn saved but could not send (a failover in between).
    const sweeper = new OutboxSweeper({ engine: instance.engine, store: instance.store });
    runner.start(Number(env('POLL_MS') || 50));
    sweeper.start(250);
    stops.push(
      () => runner.stop(),
      () => sweeper.stop(),
    );
  }
  let running = true;
  stops.push(
    () => void (running = false),
    () => void say({ t: 'stats', ...stats }),
  );
  const users = Array.from({ length: Number(env('CONVERSATIONS') || 5) }, (_, i) => `${env('USER_ID')}-${i}`);
  say({ t: 'ready', pid: process.pid });
  for (const user of users) {
    void (async () => {
      while (running) {
        const started = Date.now();
        try {
          await instance.engine.handle({
            key: { channel: 'local', tenant: 'reliability', user },
            event: { type: 'user.text', text: 'next' },
          });
          stats.done++;
          stats.acked[user] = (stats.acked[user] ?? 0) + 1;
        } catch (error) {
          if (error instanceof AppError && error.code === 'tsid_store_unavailable') stats.failed++;
          else stats.otherErrors++;
          stats.slowestFailureMs = Math.max(stats.slowestFailureMs, Date.now() - started);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    })();
  }
  setInterval(() => say({ t: 'stats', ...stats }), 250).unref();
  setInterval(() => undefined, 1 << 30); // stay alive until SIGTERM
}
