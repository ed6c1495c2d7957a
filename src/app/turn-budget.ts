import type { NextFunction, Request, Response } from 'express';

export type RefusalReason = 'budget' | 'age';

export interface TurnBudgetOptions {
  /** Turns held at once (MAX_TURNS_IN_FLIGHT). */
  max: number;
  /** The oldest turn older than this means the process is behind (MAX_TURN_AGE). */
  maxAgeMs: number;
  /** Work acknowledged and not yet done that the gates do not see (Slack acks before its listeners run). */
  acknowledged: () => number;
  /** When the oldest turn still running started (undefined: none). */
  oldestStartedAt: () => number | undefined;
  onRefused?: (channel: string, reason: RefusalReason) => void;
  now?: () => number;
}

/**
 * Admission control: each process holds at most `max` turns (requests received and not yet
 * answered, plus Slack work acknowledged and not yet done). Past it, or when the oldest turn
 * has waited longer than `maxAgeMs` while many are held, a request is refused before it is
 * acknowledged, so the platform retries it later (or elsewhere) instead of the process
 * acknowledging work it cannot do in time and growing without bound.
 */
export class TurnBudget {
  private open = 0;
  private readonly now: () => number;

  constructor(private readonly options: TurnBudgetOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Turns held now. */
  get held(): number {
    return this.open + this.options.acknowledged();
  }

  /** Turns the process can still take (0 at or past the budget). */
  get free(): number {
    return Math.max(0, this.options.max - this.held);
  }

  /**
   * Background work (outbox sweeps, reminders, campaign starts) waits here while customer
   * turns hold more than half the budget, at most `maxWaitMs`: it yields, it is not starved.
   */
  async room(maxWaitMs = 5_000, pollMs = 100): Promise<void> {
    const until = this.now() + maxWaitMs;
    while (this.held >= this.options.max / 2 && this.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Why a new turn would be refused now, or undefined when there is room. */
  refusal(): RefusalReason | undefined {
    const { max, maxAgeMs, oldestStartedAt } = this.options;
    const held = this.held;
    if (held >= max) return 'budget';
    // One slow conversation (Slack paces posts at one a second) must not close the door for
    // everyone: age counts only once a tenth of the budget is held.
    const oldest = oldestStartedAt();
    if (oldest !== undefined && held >= max / 10 && this.now() - oldest > maxAgeMs) return 'age';
    return undefined;
  }

  /**
   * Middleware for one channel's route, before the platform's own handler: refuses with
   * `refuse` past the budget (unless `overflow` takes the request: the overflow inbox), else
   * counts the request until its response is closed.
   */
  gate(
    channel: string,
    refuse: (res: Response, reason: RefusalReason) => void,
    overflow?: (req: Request, res: Response, next: NextFunction) => boolean,
  ) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const reason = this.refusal();
      if (reason && overflow?.(req, res, next)) return;
      if (reason) {
        this.options.onRefused?.(channel, reason);
        refuse(res, reason);
        return;
      }
      this.open++;
      res.once('close', () => this.open--);
      next();
    };
  }
}

/** Seconds a refused platform is asked to wait before retrying (Teams honours Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

/** Slack retries any non-2xx (after 1 s, 1 min, 5 min, with X-Slack-Retry-Num); no body needed. */
export function refuseSlack(res: Response): void {
  res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).end();
}

/** The Bot Connector retries a 503 and honours Retry-After. */
export function refuseTeams(res: Response): void {
  res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({ error: 'busy' });
}
