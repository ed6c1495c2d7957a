/**
 * A bot instance for the kill-anywhere test (chaos.test.ts), in a process of its own, on
 * Redis. Reads inbound deliveries as JSON lines on stdin (`{user, event, delivery}`: the
 * platform's POST), answers each with an `acked` or `failed` line (the HTTP response), and
 * prints a `delivered` line for every message it sends (the platform's Web API).
 *
 * Environment: REDIS_URL, PREFIX, LEASE_MS (outbox and reminder leases), POLL_MS (reminder
 * runner), SWEEP_MS (outbox sweeper; 0: none), and CRASH_AT: the point of a turn at which
 * this process SIGKILLs itself, the first time a conversation of a user named `crash-…`
 * reaches it. The points:
 * - `after-load`: the delivery's idempotency check and the record were read; nothing saved.
 * - `during-save`: the save script was sent; whether Redis ran it is left to chance.
 * - `after-save`: the turn is saved with its outbox; nothing sent, the platform not answered.
 * - `during-delivery`: the turn's outbox items are leased to this process; about to send.
 * - `after-send`: the message reached the platform; its outbox item not yet acknowledged.
 * - `during-reminder-claim`: a due reminder is leased to this process; its turn not run.
 */
import { createInterface } from 'node:readline';
import type { Deliver, InboundEvent } from '../../src/engine/index.js';
import { asAppError } from '../../src/errors.js';
import { systemClock } from '../../src/scheduler/clock.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import type { ConversationStore } from '../../src/store/conversation-store.js';
import type { ReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { textOf } from './counter-flow.js';
import { startInstance } from './instances.js';

export type CrashPoint =
  'after-load' | 'during-save' | 'after-save' | 'during-delivery' | 'after-send' | 'during-reminder-claim';

const env = (name: string, fallback = '') => process.env[name] || fallback;
const say = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
const crashAt = env('CRASH_AT') as CrashPoint | '';
const leaseMs = Number(env('LEASE_MS', '30000'));

/** Dies on the spot, as a power cut or the OOM killer would: no cleanup, no last words but this one. */
function crashIf(point: CrashPoint, conversationId: string): void {
  if (point !== crashAt || !conversationId.includes(':crash-')) return;
  say({ t: 'crashing', point, conversationId });
  process.kill(process.pid, 'SIGKILL');
}

const deliver: Deliver = async ({ conversationId, message }) => {
  crashIf('during-delivery', conversationId);
  say({ t: 'delivered', conversationId, text: textOf(message), pid: process.pid });
  crashIf('after-send', conversationId);
};

const instance = await startInstance({ url: env('REDIS_URL'), prefix: env('PREFIX'), deliver, outboxLeaseMs: leaseMs });
withCrashPoints(instance.store, instance.scheduler);

function withCrashPoints(store: ConversationStore, scheduler: ReminderScheduler): void {
  const { loadTurn, save } = { loadTurn: store.loadTurn.bind(store), save: store.save.bind(store) };
  store.loadTurn = async (id, deliveryKey) => {
    const start = await loadTurn(id, deliveryKey);
    crashIf('after-load', id);
    return start;
  };
  store.save = async (record, expected, outbox, options) => {
    const id = `${record.key.channel}:${record.key.tenant}:${record.key.user}`;
    const saving = save(record, expected, outbox, options);
    if (crashAt === 'during-save') setTimeout(() => crashIf('during-save', id), Math.random() * 2);
    const outcome = await saving;
    if (outcome === 'saved' || outcome === 'leased') crashIf('after-save', id);
    return outcome;
  };
  const claimDue = scheduler.claimDue.bind(scheduler);
  scheduler.claimDue = async (now, limit, lease) => {
    const due = await claimDue(now, limit, lease);
    for (const entry of due) crashIf('during-reminder-claim', entry.conversationId);
    return due;
  };
}

const runner = new ReminderRunner({
  engine: instance.engine,
  scheduler: instance.scheduler,
  clock: systemClock,
  leaseMs,
});
runner.start(Number(env('POLL_MS', '50')));
const sweepMs = Number(env('SWEEP_MS', '0'));
const sweeper = sweepMs > 0 ? new OutboxSweeper({ engine: instance.engine, store: instance.store }) : undefined;
sweeper?.start(sweepMs);

createInterface({ input: process.stdin }).on('line', (text) => {
  const { user, event, delivery } = JSON.parse(text) as { user: string; event: InboundEvent; delivery: string };
  instance.engine
    .handle({ key: { channel: 'local', tenant: 'chaos', user }, event, idempotencyKey: delivery })
    .then((result) => say({ t: 'acked', delivery, status: result.status }))
    .catch((error) => say({ t: 'failed', delivery, code: asAppError(error).code }));
});
say({ t: 'ready', pid: process.pid });
