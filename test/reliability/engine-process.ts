/**
 * One bot instance in its own process, for the multi-process reliability tests. Speaks
 * JSON lines on stdout. Environment: REDIS_URL, PREFIX, MODE, and per mode:
 * - `reminders`: runs a ReminderRunner and an OutboxSweeper; prints every delivery.
 * - `load`: keeps answering turns on CONVERSATIONS conversations of its own (USER_ID-0, -1, ...); prints stats.
 * SIGTERM ends `reminders` and `load` cleanly (exit code 0).
 */
import { AppError } from '../../src/errors.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { ReminderRunner } from '../../src/scheduler/reminder-runner.js';
import { systemClock } from '../../src/scheduler/clock.js';
import { closeRedisConnection } from '../../src/store/redis-connection.js';
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
  url: env('REDIS_URL'),
  prefix: env('PREFIX'),
  deliver: printDelivery,
  outboxLeaseMs: Number(env('LEASE_MS') || 30_000),
  commandTimeoutMs: Number(env('COMMAND_TIMEOUT_MS') || 2000),
});
const stops: (() => Promise<void> | void)[] = [];
process.once('SIGTERM', async () => {
  for (const stop of stops) await stop();
  closeRedisConnection(instance.connection);
  say({ t: 'bye' });
  process.exit(0);
});

if (mode === 'reminders') {
  const runner = new ReminderRunner({ engine: instance.engine, scheduler: instance.scheduler, clock: systemClock, batchSize: 50 });
  const sweeper = new OutboxSweeper({ engine: instance.engine, store: instance.store });
  runner.start(Number(env('POLL_MS') || 50));
  sweeper.start(1000);
  stops.push(() => runner.stop(), () => sweeper.stop());
  say({ t: 'ready', pid: process.pid });
} else if (mode === 'load') {
  const stats = { done: 0, failed: 0, otherErrors: 0, slowestFailureMs: 0 };
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
          await instance.engine.handle({ key: { channel: 'local', tenant: 'reliability', user }, event: { type: 'user.text', text: 'next' } });
          stats.done++;
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
