import type { SlackLogger } from './slack-logger.js';

/**
 * Why a Slack request was refused (answered 200, nothing done): another workspace or
 * Enterprise Grid org, a user of another organisation (Slack Connect), a customer click
 * outside the clicking user's own DM, a helpdesk control clicked outside the helpdesk channel.
 */
export type RefusalReason = 'team' | 'enterprise' | 'user-team' | 'not-own-dm' | 'not-helpdesk-channel';

export interface RefusalOutcome {
  kind: 'refused';
  reason: RefusalReason;
}

export interface RefusalsOptions {
  logger: SlackLogger;
  onOutcome?: (outcome: RefusalOutcome) => void;
  /** At most one log line per reason in this long (default 60 s); the next one counts the rest. */
  logEveryMs?: number;
  now?: () => number;
}

/**
 * Counts each refusal (through `onOutcome`: metrics, tests) and logs it, throttled: a flood of
 * refused requests writes one line per reason and minute, carrying how many went unlogged.
 */
export class Refusals {
  private readonly lastLine = new Map<RefusalReason, { until: number; unlogged: number }>();

  constructor(private readonly options: RefusalsOptions) {}

  refuse(reason: RefusalReason, team?: string): void {
    this.options.onOutcome?.({ kind: 'refused', reason });
    const now = (this.options.now ?? Date.now)();
    const last = this.lastLine.get(reason);
    if (last && now < last.until) {
      last.unlogged++;
      return;
    }
    this.lastLine.set(reason, { until: now + (this.options.logEveryMs ?? 60_000), unlogged: 0 });
    // The team id says which workspace to allow (SLACK_ALLOWED_TEAMS) if it should be; only a well-formed one is logged.
    const fields = {
      reason,
      ...(team && /^[A-Z0-9]{1,32}$/.test(team) ? { team } : {}),
      ...(last?.unlogged ? { refusedSinceLastLine: last.unlogged } : {}),
    };
    this.options.logger.warn(fields, 'slack: request refused, nothing done');
  }
}
