import type { Inbound, TurnHandler, TurnResult } from '../engine/index.js';
import { asAppError, isTemporary } from '../errors.js';
import type { InboxClaim, InboxEntry, InboxStats, RedisOverflowInbox } from '../store/redis-overflow-inbox.js';

export interface InboxDrainerOptions {
  inbox: RedisOverflowInbox;
  /** Runs one turn (counted and tracked, not queued again). */
  turns: TurnHandler;
  /** Turns the process can take now (its budget's room). */
  room: () => number;
  /** Conversations held at once, at most. */
  concurrency: number;
  leaseMs: number;
  /** A failed turn is claimed again after this long (default 5 s). */
  retryMs?: number;
  /**
   * A turn that failed this many times here for a reason that does not pass by itself (a bug,
   * not the store being down) is set aside: it would otherwise hold its conversation's later
   * turns behind it for good (default 5).
   */
  maxFailures?: number;
  /**
   * After an entry's turn ran: what its channel still owes the customer (a click's message
   * marked answered). It logs its own failures: the turn itself was saved, nothing is retried.
   */
  onRan?: (entry: InboxEntry, result: TurnResult) => Promise<void>;
  /** An entry set aside after `maxFailures`: its turn was not run (log it, tell the customer). */
  onSetAside?: (error: unknown, conversationId: string, entry: InboxEntry) => void;
  /** How often an empty inbox is looked at (default 250 ms). */
  pollMs?: number;
  /** Told the inbox's size after each look (metrics, the front's order check). */
  onStats?: (stats: InboxStats) => void;
  onError?: (error: unknown, conversationId?: string) => void;
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every process drains the overflow inbox when it has room: it claims conversations, runs
 * their entries in order, and removes each once its turn is saved. A failed turn stays and
 * is claimed again later; a process that dies mid-entry loses its lease and another takes
 * the conversation over (the entry runs again: its idempotency key makes that harmless).
 */
export class InboxDrainer {
  private running = false;
  private loop?: Promise<void>;
  private readonly held = new Set<Promise<void>>();
  /** Failures per entry (conversation, time, idempotency key) that do not pass by themselves; bounded. */
  private readonly failures = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly options: InboxDrainerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Turns this process is running for the inbox now. */
  get active(): number {
    return this.held.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits for the conversations held to finish their current entry (the rest is let go). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.allSettled([...this.held]);
  }

  private async run(): Promise<void> {
    const { inbox, concurrency, leaseMs, pollMs = 250 } = this.options;
    let lookedAt = 0;
    while (this.running) {
      try {
        if (this.now() - lookedAt >= pollMs) {
          lookedAt = this.now();
          this.options.onStats?.(await inbox.stats());
        }
        const free = Math.min(concurrency - this.held.size, Math.floor(this.options.room()));
        if (free <= 0) {
          await sleep(20);
          continue;
        }
        const claims = await inbox.claim(free, this.now(), leaseMs);
        for (const claim of claims) this.hold(claim);
        if (claims.length === 0) await sleep(pollMs);
      } catch (error) {
        this.options.onError?.(error);
        await sleep(pollMs);
      }
    }
  }

  private hold(claim: InboxClaim): void {
    const work = this.drain(claim).finally(() => this.held.delete(work));
    this.held.add(work);
  }

  /** Runs the conversation's entries in order while this process holds it. */
  private async drain(claim: InboxClaim): Promise<void> {
    const { inbox, turns, leaseMs, retryMs = 5_000 } = this.options;
    let entry: InboxEntry | undefined = claim.entry;
    while (entry) {
      try {
        const result = await turns.handle(entry.inbound as unknown as Inbound);
        await this.options.onRan?.(entry, result).catch(() => undefined); // it reports its own failures
      } catch (error) {
        if (!this.poisoned(claim.conversationId, entry, error)) {
          this.options.onError?.(error, claim.conversationId);
          await inbox.retry(claim, this.now() + retryMs).catch(() => undefined); // else its lease runs out
          return;
        }
        this.options.onSetAside?.(error, claim.conversationId, entry); // dropped below, so the next entry runs
      }
      try {
        const next = await inbox.done(claim, this.now(), leaseMs);
        entry = next === 'lost' ? undefined : next;
      } catch (error) {
        this.options.onError?.(error, claim.conversationId); // its lease runs out; the re-run is a duplicate
        return;
      }
      // Shutting down: the rest of the conversation goes to another process now, not after the lease.
      if (entry && !this.running) return void (await inbox.retry(claim, this.now()).catch(() => undefined));
    }
  }

  /** Counts a failure of `entry`; true once it failed `maxFailures` times for a lasting reason. */
  private poisoned(conversationId: string, entry: InboxEntry, error: unknown): boolean {
    if (isTemporary(asAppError(error))) return false; // the store is down or busy: wait for it
    const id = `${conversationId}\n${entry.at}\n${String(entry.inbound.idempotencyKey)}`;
    const failures = (this.failures.get(id) ?? 0) + 1;
    this.failures.delete(id);
    if (failures >= (this.options.maxFailures ?? 5)) return true;
    this.failures.set(id, failures);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
    return false;
  }
}
