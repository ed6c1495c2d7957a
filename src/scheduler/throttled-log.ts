/** Where a ThrottledLog writes (pino and the adapters' loggers fit). */
export interface ThrottledLogSink {
  error(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface ThrottledLogOptions {
  /** The failing thing, as the log lines name it: `reminder poll` → "reminder poll failed". */
  what: string;
  /** The first summary of repeated failures comes this long after the first line (default 60 s); each next one twice as late, up to `maxIntervalMs`. */
  intervalMs?: number;
  /** The longest time between two summaries while the failure goes on (default 15 min). */
  maxIntervalMs?: number;
  /** Injected in tests (simulated time). */
  now?: () => number;
}

/**
 * The log of a background loop that can fail on every pass (a poll while Redis is down):
 * the first failure at error level, then a summary with a count after 1, 2, 4, 8 minutes
 * and every 15 minutes after that, and the recovery logged once. A poll a second failing
 * for an hour makes 7 lines instead of 3,600.
 */
export class ThrottledLog {
  private failing?: { since: number; loggedAt: number; unlogged: number; total: number; waitMs: number };
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sink: ThrottledLogSink,
    private readonly options: ThrottledLogOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.maxIntervalMs = Math.max(this.intervalMs, options.maxIntervalMs ?? 15 * 60_000);
    this.now = options.now ?? Date.now;
  }

  /** A pass failed; `fields` hold the code and a short cause (never personal data). */
  failed(fields: object): void {
    const now = this.now();
    const failing = this.failing;
    if (!failing) {
      this.failing = { since: now, loggedAt: now, unlogged: 0, total: 1, waitMs: this.intervalMs };
      this.sink.error(fields, `${this.options.what} failed`);
      return;
    }
    failing.total++;
    failing.unlogged++;
    if (now - failing.loggedAt < failing.waitMs) return;
    this.sink.error(
      { ...fields, failures: failing.unlogged, failingForMs: now - failing.since },
      `${this.options.what} failed again (${failing.unlogged} times since the last line)`,
    );
    failing.loggedAt = now;
    failing.unlogged = 0;
    failing.waitMs = Math.min(failing.waitMs * 2, this.maxIntervalMs);
  }

  /** A pass succeeded: after failures, says so once. */
  succeeded(): void {
    const failing = this.failing;
    if (!failing) return;
    this.failing = undefined;
    this.sink.info(
      { failures: failing.total, failedForMs: this.now() - failing.since },
      `${this.options.what} recovered`,
    );
  }
}
