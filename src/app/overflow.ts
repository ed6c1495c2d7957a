import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import {
  conversationId,
  type ConversationKey,
  type Inbound,
  type TurnHandler,
  type TurnResult,
} from '../engine/index.js';
import { asAppError } from '../errors.js';
import type { InboxEntry, RedisOverflowInbox } from '../store/redis-overflow-inbox.js';
import { RETRY_AFTER_SECONDS } from './turn-budget.js';

/** A request taken past the budget: its answer waits for its turn to be written to the inbox. */
interface Spill {
  /** The turn could not be queued: the held answer becomes 503 (the platform retries). */
  refuse(): void;
}

export interface OverflowOptions {
  inbox: RedisOverflowInbox;
  /** Marks a request whose acknowledgement must wait until its listeners finished (the Slack adapter's hold). */
  holdAck: (res: Response) => void;
  /**
   * The reference stored with a conversation: a click's check of its channel runs against it
   * before the click is queued (without it, clicks past the budget are refused).
   */
  storedReference?: (key: ConversationKey) => Promise<unknown>;
  /** Requests being written to the inbox at once, at most (beyond: refused as without an inbox). */
  maxSpilling?: number;
  onQueued?: (channel: string) => void;
  onRefused?: (channel: string, reason: 'inbox-full' | 'inbox-failed' | 'not-queueable') => void;
  onError?: (error: unknown) => void;
  now?: () => number;
}

const DEFERRED: TurnResult = { status: 'deferred', messages: [] };
const REFUSED: TurnResult = { status: 'refused', messages: [] };

/**
 * The overflow inbox's front (README "Under overload"). Past the budget the gate hands a
 * request here instead of refusing it: the request goes on with its acknowledgement held;
 * `wrap`'s handler writes its turn to the inbox, and only then is the request answered 2xx
 * (503 when the inbox is full or failed). A turn of a conversation with entries waiting goes
 * behind them, so a conversation's turns keep their order; a turn that failed on the store
 * after its acknowledgement goes there to run again.
 */
export class Overflow {
  private readonly scope = new AsyncLocalStorage<Spill>();
  private spilling = 0;
  /** Entries the inbox held when last looked (the drainer tells); 0 lets turns skip the order check. */
  private waiting = 0;
  private full = false;
  private readonly now: () => number;

  constructor(private readonly options: OverflowOptions) {
    this.now = options.now ?? Date.now;
  }

  /** What the drainer last saw: entries waiting (and whether the inbox is at its bound). */
  observe(entries: number): void {
    this.waiting = entries;
    this.full = entries >= this.options.inbox.maxEntries;
  }

  /** For the budget's gate: takes a request past the budget (true), or leaves it to be refused (false). */
  admit(_req: Request, res: Response, next: NextFunction): boolean {
    if (this.full || this.spilling >= (this.options.maxSpilling ?? 1_000)) return false;
    let refused = false;
    const spill: Spill = {
      refuse: () => {
        refused = true;
        if (!res.headersSent) {
          res.statusCode = 503;
          res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        }
      },
    };
    // Bolt answers with writeHead(200): a refused spill answers 503 instead, with nothing done.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    res.writeHead = ((status: number, ...rest: unknown[]) =>
      refused ? writeHead(503) : writeHead(status, ...rest)) as typeof res.writeHead;
    this.spilling++;
    res.once('close', () => this.spilling--);
    this.options.holdAck(res);
    this.scope.run(spill, next);
    return true;
  }

  /** The channels' turn handler: queues spilled turns and turns behind queued ones; runs the rest. */
  wrap(turns: TurnHandler, channel: (inbound: Inbound) => string = (inbound) => inbound.key.channel): TurnHandler {
    return {
      status: (key) => turns.status(key),
      handle: async (inbound) => {
        const spill = this.scope.getStore();
        if (spill) return this.queueSpilled(spill, inbound, channel(inbound));
        const behind = this.waiting > 0 ? await this.behindQueued(inbound) : undefined;
        if (behind) return behind;
        try {
          return await turns.handle(inbound);
        } catch (error) {
          if (await this.afterFailure(inbound, error)) return DEFERRED;
          throw error;
        }
      },
    };
  }

  private async queueSpilled(spill: Spill, inbound: Inbound, channel: string): Promise<TurnResult> {
    try {
      const check = await this.clickCheck(inbound);
      if (check === 'cannot') return this.refuse(spill, channel, 'not-queueable');
      if (check === 'refused') return REFUSED;
      const added = await this.options.inbox.add(conversationId(inbound.key), this.entry(inbound));
      if (added === 'full') {
        this.full = true;
        return this.refuse(spill, channel, 'inbox-full');
      }
    } catch (error) {
      this.options.onError?.(error);
      return this.refuse(spill, channel, 'inbox-failed');
    }
    this.waiting++;
    this.options.onQueued?.(channel);
    return DEFERRED;
  }

  /**
   * A turn acknowledged and then failed on the store (a Redis operation past its deadline,
   * which may still have been applied): queued to run again, instead of the channel telling
   * the customer to retry, which, if the save went through after all, comes on top of the
   * answer. The re-run is a no-op when the first run was saved (its idempotency key).
   */
  private async afterFailure(inbound: Inbound, error: unknown): Promise<boolean> {
    if (inbound.onlyIf || asAppError(error).code !== 'tsid_store_unavailable') return false;
    try {
      return (await this.options.inbox.add(conversationId(inbound.key), this.entry(inbound))) === 'added';
    } catch {
      return false; // Redis is down, not slow: the channel says so
    }
  }

  /** A conversation with turns in the inbox: this one goes behind them (run here if it cannot). */
  private async behindQueued(inbound: Inbound): Promise<TurnResult | undefined> {
    const id = conversationId(inbound.key);
    try {
      if (!(await this.options.inbox.has(id))) return undefined;
      const check = await this.clickCheck(inbound);
      if (check === 'refused') return REFUSED;
      if (check === 'cannot') return undefined;
      return (await this.options.inbox.add(id, this.entry(inbound))) === 'added' ? DEFERRED : undefined;
    } catch (error) {
      this.options.onError?.(asAppError(error, 'tsid_store_unavailable'));
      return undefined;
    }
  }

  /**
   * A click's check of its channel is a function: it cannot wait in Redis, so it runs before
   * the click is queued, against the reference stored with the conversation (a click from
   * elsewhere is refused as it would be later). 'cannot' without a way to read that reference.
   */
  private async clickCheck(inbound: Inbound): Promise<'none' | 'passed' | 'refused' | 'cannot'> {
    if (!inbound.onlyIf) return 'none';
    const { storedReference } = this.options;
    if (!storedReference) return 'cannot';
    return (await inbound.onlyIf(await storedReference(inbound.key))) ? 'passed' : 'refused';
  }

  private refuse(spill: Spill, channel: string, reason: 'inbox-full' | 'inbox-failed' | 'not-queueable'): TurnResult {
    spill.refuse();
    this.options.onRefused?.(channel, reason);
    return DEFERRED;
  }

  private entry(inbound: Inbound): InboxEntry {
    const { key, event, idempotencyKey, reference, locale, followUp } = inbound;
    return { at: this.now(), inbound: { key, event, idempotencyKey, reference, locale, followUp } };
  }
}
