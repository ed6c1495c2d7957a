import type { ConversationStore } from '../store/conversation-store.js';

export interface OutboxSweeperOptions {
  /** The engine's `flush`: delivers one conversation's pending outbox in order. */
  engine: { flush(conversationId: string): Promise<void> };
  store: Pick<ConversationStore, 'conversationsWithOutbox'>;
  /** Conversations looked at per pass (default 100). */
  batchSize?: number;
  /** Flushes run side by side within a pass (default 8). */
  concurrency?: number;
  onError?: (error: unknown, conversationId?: string) => void;
  /** A timed pass went through (after failed ones: the store is back). */
  onPass?: () => void;
}

/**
 * Retries outbox work left behind: by a crashed instance (after its save, before its
 * send), by a failed delivery, or by a store outage between save and send. Works on any
 * ConversationStore; outbox leases keep two instances from sending the same item.
 */
export class OutboxSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly options: OutboxSweeperOptions) {}

  /** One pass; resolves with how many conversations were flushed. */
  async sweep(): Promise<number> {
    const { engine, store, onError } = this.options;
    const ids = await store.conversationsWithOutbox(this.options.batchSize ?? 100);
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        await engine.flush(id).catch((error) => onError?.(error, id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, queue.length) }, worker));
    return ids.length;
  }

  /** Sweeps every `intervalMs` on a real timer until `stop()`; a pass never overlaps the next. */
  start(intervalMs = 5000): void {
    if (this.timer) clearTimeout(this.timer);
    const tick = () => {
      this.running = this.sweep().then(
        (swept) => {
          this.options.onPass?.();
          return swept;
        },
        (error) => {
          this.options.onError?.(error);
          return 0;
        },
      );
      // `running` never rejects (caught above): the next pass is always scheduled.
      this.running.then(
        () => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        },
        () => undefined,
      );
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
