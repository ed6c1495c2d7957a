import type { ConversationEngine } from './conversation-engine.js';
import type { Clock } from '../scheduler/clock.js';
import type { ReminderEntry, ReminderScheduler } from '../scheduler/reminder-scheduler.js';

export interface ReminderRunnerOptions {
  engine: Pick<ConversationEngine, 'handle'>;
  scheduler: ReminderScheduler;
  clock: Clock;
  /** How many due reminders an instance holds claimed and not yet done (default 100); each claim tops them up. */
  batchSize?: number;
  /** How many reminder turns run at once (default 16, at most batchSize; the engine serialises turns of one conversation). */
  concurrency?: number;
  /** How long a claimed reminder is ours before another instance may take it (default 60 s). */
  leaseMs?: number;
  /** A failed reminder turn (with its entry), or a failed claim (no entry: the store is down). */
  onError?: (error: unknown, entry?: ReminderEntry) => void;
  /** A timed poll went through (after failed ones: the store is back). */
  onPoll?: () => void;
}

/**
 * Turns due reminders into `reminder.due` turns. The turn's idempotency key and the
 * flow's guard on the reminder id make a second delivery of the same entry harmless.
 */
export class ReminderRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopping = false;

  constructor(private readonly options: ReminderRunnerOptions) {}

  /**
   * Runs every reminder due now; resolves with how many turns ran. Turns run back to back:
   * a worker that finds nothing claimed claims more while the others' turns go on, so a
   * slow turn (a rate-limited delivery) holds up only itself, not the rest of its batch.
   */
  async runDue(): Promise<number> {
    const { scheduler, clock, engine } = this.options;
    const batchSize = Math.max(1, this.options.batchSize ?? 100);
    const leaseMs = this.options.leaseMs ?? 60_000;
    const queue: ReminderEntry[] = [];
    let inTurn = 0;
    let ran = 0;
    let drained = false;
    let claimError: Error | undefined;
    let claiming: Promise<void> | undefined;
    // At most batchSize claimed and not yet done: one claim at a time tops them back up.
    const refill = () =>
      (claiming ??= scheduler
        .claimDue(clock.now(), batchSize - inTurn, leaseMs)
        .then(
          (due) => {
            queue.push(...due);
            drained ||= due.length === 0;
          },
          (error: unknown) => {
            claimError ??= error instanceof Error ? error : new Error(String(error));
            drained = true;
          },
        )
        .finally(() => (claiming = undefined)));
    const worker = async () => {
      for (;;) {
        const entry = queue.shift();
        if (!entry) {
          if (drained || this.stopping) return; // stopping: what is claimed runs, nothing more is claimed
          await refill();
          continue;
        }
        inTurn++;
        try {
          await engine.handle({
            key: entry.key,
            event: { type: 'reminder.due', reminderId: entry.reminderId },
            idempotencyKey: `reminder:${entry.conversationId}:${entry.reminderId}:${entry.dueAt}`,
          });
          await scheduler.ack(entry);
          ran++;
        } catch (error) {
          this.options.onError?.(error, entry); // the lease runs out and the entry is claimed again
        } finally {
          inTurn--;
        }
      }
    };
    // More workers than batchSize would only wait: batchSize bounds what is claimed at once.
    const workers = Math.min(batchSize, Math.max(1, this.options.concurrency ?? 16));
    await Promise.all(Array.from({ length: workers }, worker));
    if (claimError) throw claimError;
    return ran;
  }

  /**
   * Polls on a real timer (production); tests call `runDue()` on a ManualClock instead.
   * A failed pass (the store down) is reported and the next one comes on schedule.
   */
  start(intervalMs = 1000): void {
    if (this.timer) clearTimeout(this.timer);
    this.stopping = false;
    const tick = () => {
      this.running = this.runDue()
        .then(() => this.options.onPoll?.())
        .catch((error) => this.options.onError?.(error))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  /** Stops polling; resolves once the reminders already claimed have run (no new claim). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.running;
  }
}
