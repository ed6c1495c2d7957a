export interface DataLossWatchOptions {
  mark: { read(): Promise<string | null>; renew(): Promise<string | undefined> };
  /** Reminders scheduled now (counted on every look, so a loss can say how many went with it). */
  countReminders: () => Promise<number>;
  /** The data was lost since the last look: told once per loss, by one process of those sharing the store. */
  onLoss: (lostReminders: number) => void;
  /** How often to look (default 10 s). */
  intervalMs?: number;
}

/**
 * Notices that Redis lost the bot's data (FLUSHALL, a restart without persistence) and
 * says so once, with the number of reminders that went with it, instead of nothing at all
 * (reminders are simply gone, there is no error to log per reminder). A look that fails
 * (Redis down) is skipped: the next one decides.
 */
export class DataLossWatch {
  private generation?: string;
  private reminders = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: DataLossWatchOptions) {}

  /** One look: resolves with the reminders lost when this process noticed a loss, else undefined. */
  async check(): Promise<number | undefined> {
    const { mark } = this.options;
    let current = await mark.read();
    let lost: number | undefined;
    if (current === null) {
      const written = await mark.renew();
      // Only the process that writes the new generation reports: the others adopt it.
      if (written !== undefined && this.generation !== undefined) lost = this.reminders;
      current = written ?? (await mark.read());
    }
    if (current !== this.generation) this.reminders = 0;
    this.generation = current ?? undefined;
    const reminders = await this.options.countReminders();
    // A loss that lands between the mark's read and the count would make the count 0 and the
    // report say "0 reminders gone": keep the count only if the mark is still this generation's.
    if ((await mark.read()) === this.generation) this.reminders = reminders;
    if (lost !== undefined) this.options.onLoss(lost);
    return lost;
  }

  start(): void {
    const tick = () => {
      this.running = this.check()
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs ?? 10_000).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
