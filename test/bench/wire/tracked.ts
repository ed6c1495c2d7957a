import { performance } from 'node:perf_hooks';

/** One message the bot sent, as the fake platform API received it (kept for the next click). */
export interface Received {
  /** Slack ts / Teams activity id: an update replaces the message with the same id. */
  id: string;
  body: Record<string, unknown>;
}

const KEEP = 4;

/**
 * A conversation as the platform sees it: how many bot messages (posts and updates) reached
 * the fake API, the newest few (to click their buttons), and a waiter for "the turn's last message".
 */
export class Tracked {
  seen = 0;
  /** When the newest message arrived (performance.now()). */
  lastAt = 0;
  readonly latest: Received[] = [];
  private waiter?: { target: number; resolve: (at: number) => void };

  constructor(readonly user: string) {}

  receive(message: Received, update: boolean): void {
    this.seen++;
    this.lastAt = performance.now();
    const index = update ? this.latest.findIndex((known) => known.id === message.id) : -1;
    if (index >= 0) this.latest[index] = message;
    else if (!update) {
      this.latest.push(message);
      if (this.latest.length > KEEP) this.latest.shift();
    }
    if (this.waiter && this.seen >= this.waiter.target) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(performance.now());
    }
  }

  /** Resolves with the time the `target`-th message arrived; rejects after `timeoutMs`. */
  until(target: number, timeoutMs: number): Promise<number> {
    if (this.seen >= target) return Promise.resolve(performance.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${this.user}: ${this.seen} of ${target} messages after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = { target, resolve: (at) => (clearTimeout(timer), resolve(at)) };
    });
  }

  /** Resolves once no message arrived for `quietMs` (at least one after `from`). */
  async settle(from: number, quietMs: number, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let count = -1;
    while (count !== this.seen || this.seen <= from) {
      if (performance.now() > deadline) throw new Error(`${this.user}: no answer within ${timeoutMs} ms`);
      count = this.seen;
      await new Promise((resolve) => setTimeout(resolve, quietMs));
    }
  }
}

/** Routes what a fake API received to the conversation it belongs to. */
export class Router {
  private readonly conversations = new Map<string, Tracked>();

  open(routeId: string, user: string): Tracked {
    const tracked = new Tracked(user);
    this.conversations.set(routeId, tracked);
    return tracked;
  }

  close(routeId: string): void {
    this.conversations.delete(routeId);
  }

  deliver(routeId: string, message: Received, update: boolean): void {
    this.conversations.get(routeId)?.receive(message, update);
  }
}
