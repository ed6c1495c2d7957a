import type { ConversationEngine } from '../engine/conversation-engine.js';
import type { Clock } from './clock.js';
import type { ReminderEntry, ReminderScheduler } from './reminder-scheduler.js';

export interface ReminderRunnerOptions {
  engine: ConversationEngine;
  scheduler: ReminderScheduler;
  clock: Clock;
  /** How many due reminders one pass takes (default 100). */
  batchSize?: number;
  /** How many reminder turns of a pass run at once (default 16; the engine serialises turns of one conversation). */
  concurrency?: number;
  /** How long a claimed reminder is ours before another instance may take it (default 60 s). */
  leaseMs?: number;
  /** A failed reminder turn (with its entry), or a failed poll of the scheduler (without). */
  onError?: (error: unknown, entry?: ReminderEntry) => void;
}

/**
 * Turns due reminders into `reminder.due` turns. The turn's idempotency key and the
 * flow's guard on the reminder id make a second delivery of the same entry harmless.
 */
export class ReminderRunner {
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: ReminderRunnerOptions) {}

  /** Runs every reminder due now; resolves with how many turns ran. */
  async runDue(): Promise<number> {
    const { scheduler, clock, engine } = this.options;
    let ran = 0;
    for (;;) {
      const due = await scheduler.claimDue(clock.now(), this.options.batchSize ?? 100, this.options.leaseMs ?? 60_000);
      if (due.length === 0) return ran;
      const queue = [...due];
      const worker = async () => {
        for (let entry = queue.shift(); entry; entry = queue.shift()) {
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
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 16) }, worker));
    }
  }

  /** Polls on a real timer (production); tests call `runDue()` on a ManualClock instead. */
  start(intervalMs = 1000): void {
    this.stop();
    const tick = () => {
      // A poll fails while Redis is unreachable (or failing over): report it and poll again.
      void this.runDue()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
