import type { NextFunction, Request, Response } from 'express';

/**
 * The first middleware of the HTTP app. Counts requests being served; once draining, it
 * refuses every new one with 503 and `Connection: close` (Slack and Teams retry, and a load
 * balancer sends them elsewhere), except `/healthz`: the process is alive while it drains.
 */
export class DrainGate {
  private drainingSince?: number;
  private active = 0;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  /** Requests let through and not yet answered. */
  get openRequests(): number {
    return this.active;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (this.draining && req.path !== '/healthz') {
      res.set('Connection', 'close').status(503).json({ status: 'shutting down' });
      return;
    }
    this.active++;
    res.once('close', () => this.active--);
    next();
  };
}
