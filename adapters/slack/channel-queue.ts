export interface ChannelQueueOptions {
  /** Sustained pace: one send per this many ms to one channel (Slack: about one message per second). */
  minIntervalMs: number;
  /**
   * Sends allowed at once before the pace applies (default 3): a turn's two or three
   * messages arrive together, as Slack's "one per second, bursts allowed" permits.
   */
  burst?: number;
  /** How long to wait before retrying a failed send, or undefined to give up (not rate limited). */
  retryDelayMs: (error: unknown) => number | undefined;
  /** Rate-limited retries of one send before its error is passed on (default 5). */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface Lane {
  tail: Promise<unknown>;
  pending: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends to a channel one at a time, in call order, paced by a token bucket (`burst` at
 * once, then one per `minIntervalMs`), waiting out rate limits (`Retry-After`) before
 * retrying. Channels do not wait for each other.
 */
export class ChannelQueue {
  private readonly lanes = new Map<string, Lane>();
  /** Per channel, when the bucket is full again (GCRA's "theoretical arrival time"). */
  private readonly fullAt = new Map<string, number>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: ChannelQueueOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** Runs `send` after every earlier send to `channel` has finished (or failed). */
  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(channel) ?? { tail: Promise.resolve(), pending: 0 };
    this.lanes.set(channel, lane);
    lane.pending++;
    const result = lane.tail.then(() => this.attempt(channel, send));
    lane.tail = result
      .catch(() => undefined)
      .finally(() => {
        if (--lane.pending === 0) this.lanes.delete(channel);
      });
    return result;
  }

  /** Sends in flight or waiting, over all channels (0: idle). */
  get pending(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.pending;
    return total;
  }

  private get burst(): number {
    return Math.max(1, this.options.burst ?? 3);
  }

  private async attempt<T>(channel: string, send: () => Promise<T>): Promise<T> {
    await this.takeToken(channel);
    for (let retry = 0; ; retry++) {
      try {
        return await send();
      } catch (error) {
        const delay = this.options.retryDelayMs(error);
        if (delay === undefined || retry >= (this.options.maxRetries ?? 5)) throw error;
        // Slack said "not before": the bucket stays empty until then, for the sends behind too.
        const emptyUntil = this.now() + delay + this.options.minIntervalMs * this.burst;
        this.fullAt.set(channel, Math.max(this.fullAt.get(channel) ?? 0, emptyUntil));
        await this.sleep(delay);
      }
    }
  }

  /** Waits until the channel's bucket has a token, then takes it. */
  private async takeToken(channel: string): Promise<void> {
    const interval = this.options.minIntervalMs;
    if (interval <= 0) return;
    const now = this.now();
    const fullAt = Math.max(this.fullAt.get(channel) ?? now, now);
    const wait = fullAt - (this.burst - 1) * interval - now;
    this.fullAt.set(channel, fullAt + interval);
    this.forgetIdle(now);
    if (wait > 0) await this.sleep(wait);
  }

  /** Channels whose bucket is full again need no memory (keeps the map small). */
  private forgetIdle(now: number): void {
    if (this.fullAt.size < 1000) return;
    for (const [channel, at] of this.fullAt) if (at <= now) this.fullAt.delete(channel);
  }
}
