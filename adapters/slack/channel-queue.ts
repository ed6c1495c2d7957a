export interface ChannelQueueOptions {
  /** Least time between two sends to one channel (Slack: about one message per second). */
  minIntervalMs: number;
  /** How long to wait before retrying a failed send, or undefined to give up (not rate limited). */
  retryDelayMs: (error: unknown) => number | undefined;
  /** Rate-limited retries of one send before its error is passed on (default 5). */
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface Lane {
  tail: Promise<unknown>;
  pending: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends to a channel one at a time, in call order, spaced by `minIntervalMs`, waiting out
 * rate limits (`Retry-After`) before retrying. Channels do not wait for each other.
 */
export class ChannelQueue {
  private readonly lanes = new Map<string, Lane>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ChannelQueueOptions) {
    this.sleep = options.sleep ?? realSleep;
  }

  /** Runs `send` after every earlier send to `channel` has finished (or failed). */
  run<T>(channel: string, send: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(channel) ?? { tail: Promise.resolve(), pending: 0 };
    this.lanes.set(channel, lane);
    lane.pending++;
    const result = lane.tail.then(() => this.attempt(send));
    // The lane, not the caller, waits out the spacing: the next send starts after it.
    lane.tail = result
      .catch(() => undefined)
      .then(() => (this.options.minIntervalMs > 0 ? this.sleep(this.options.minIntervalMs) : undefined))
      .finally(() => {
        if (--lane.pending === 0) this.lanes.delete(channel);
      });
    return result;
  }

  /** Sends in flight, waiting, or still spacing, over all channels (0: idle). */
  get pending(): number {
    let total = 0;
    for (const lane of this.lanes.values()) total += lane.pending;
    return total;
  }

  private async attempt<T>(send: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await send();
      } catch (error) {
        const delay = this.options.retryDelayMs(error);
        if (delay === undefined || retry >= (this.options.maxRetries ?? 5)) throw error;
        await this.sleep(delay);
      }
    }
  }
}
