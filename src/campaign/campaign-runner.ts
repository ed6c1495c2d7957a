import type { CampaignStore, Claim, PlatformIntervals } from './campaign.js';
import { ThrottledLog } from '../scheduler/throttled-log.js';
import { CampaignRateLimited, type CampaignStarter } from './campaign-start.js';

export interface CampaignRunnerLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface CampaignRunnerOptions {
  store: CampaignStore;
  starter: CampaignStarter;
  /** Least spacing between two starts on each platform (CAMPAIGN_SLACK_PER_MINUTE, ...). */
  intervals: PlatformIntervals;
  /** Starts this instance runs at once (default 8): the pace, not this, sets the speed. */
  workers?: number;
  /** Longest sleep when there is nothing to do (default 1 s). */
  pollMs?: number;
  /** How long a claimed customer is this instance's before another may take them (default 60 s). */
  leaseMs?: number;
  /** A start that keeps failing is given up after this many attempts (default 5). */
  maxAttempts?: number;
  log: CampaignRunnerLog;
  /** Told of every customer done with (metrics, tests). */
  onOutcome?: (campaign: string, status: string) => void;
}

/**
 * Every instance runs one: its workers take customers from the running campaigns in
 * Redis, at the shared pace, and start their guides. A customer held by an instance that
 * died is taken again when its lease ends; the start's idempotency key makes that safe.
 */
export class CampaignRunner {
  private running = false;
  private workers: Promise<void>[] = [];
  private names: { at: number; list: string[] } = { at: 0, list: [] };
  /** While Redis is down every worker fails on every poll: the first failure, then a summary a minute. */
  private readonly passes: ThrottledLog;

  constructor(private readonly options: CampaignRunnerOptions) {
    this.passes = new ThrottledLog(options.log, { what: 'campaign: a pass' });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.workers = Array.from({ length: this.options.workers ?? 8 }, () => this.work());
  }

  /** Lets the starts in flight finish, then returns. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async work(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1000;
    while (this.running) {
      let pause: number;
      try {
        pause = await this.once();
        this.passes.succeeded();
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'tsid_internal';
        this.passes.failed({ code, cause: (error as Error).message });
        pause = pollMs;
      }
      // A little jitter keeps the workers from all asking for the same pace slot at once.
      if (pause > 0 && this.running) await sleep(Math.min(pause, pollMs) + Math.random() * 5);
    }
  }

  /** One claim across the running campaigns; resolves with how long to wait before the next. */
  private async once(): Promise<number> {
    let wait = Number.POSITIVE_INFINITY;
    for (const name of await this.runningCampaigns()) {
      const claim = await this.options.store.claim(name, this.options.leaseMs ?? 60_000, this.options.intervals);
      if (claim.kind === 'go') {
        await this.startOne(name, claim);
        return 0;
      }
      if (claim.kind === 'wait') wait = Math.min(wait, claim.ms);
    }
    return wait;
  }

  private async startOne(name: string, claim: Extract<Claim, { kind: 'go' }>): Promise<void> {
    const { store, starter, log } = this.options;
    const { customer, attempt } = claim;
    try {
      const outcome = await starter.start(name, customer, attempt);
      await store.complete(name, customer.id, outcome);
      // The start turn ran before the customer was the campaign's: its step is noted here.
      if (outcome.status === 'started' && outcome.step)
        await store.noteProgress(name, customer.id, outcome.step, [], outcome.at);
      log.debug(
        { campaign: name, status: outcome.status, grantedAt: claim.grantedAt, attempt },
        'campaign: customer done',
      );
      this.options.onOutcome?.(name, outcome.status);
    } catch (error) {
      if (error instanceof CampaignRateLimited) {
        log.info({ campaign: name, retryAfterMs: error.retryAfterMs }, 'campaign: the platform asked to slow down');
        await store.release(name, customer, error.retryAfterMs);
        return;
      }
      const code = (error as { code?: string }).code ?? 'tsid_internal';
      log.error({ campaign: name, conversationId: customer.id, attempt, code }, 'campaign: a start failed');
      if (attempt >= (this.options.maxAttempts ?? 5)) {
        await store.complete(name, customer.id, { status: 'failed', at: Date.now(), reason: code });
        this.options.onOutcome?.(name, 'failed');
      } else await store.release(name, customer);
    }
  }

  /** The running campaigns' names, read again at most once per poll interval. */
  private async runningCampaigns(): Promise<string[]> {
    const pollMs = this.options.pollMs ?? 1000;
    if (Date.now() - this.names.at < pollMs) return this.names.list;
    const names = await this.options.store.list();
    const infos = await Promise.all(names.map((name) => this.options.store.get(name)));
    this.names = { at: Date.now(), list: names.filter((_, i) => infos[i]?.state === 'running') };
    return this.names.list;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
