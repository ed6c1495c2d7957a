import type { Locale, TurnHandler } from '../engine/index.js';
import type { CampaignCustomer, CampaignPlatform, CampaignStore, CustomerOutcome } from './campaign.js';

/** How a platform reaches a customer for a campaign (Slack opens the DM; Teams needs a known conversation). */
export interface CampaignReach {
  /** The reference for the turn (undefined: the stored one) and the platform's locale, or why the customer cannot be reached. */
  open(customer: CampaignCustomer): Promise<{ reference?: unknown; locale?: Locale } | { unreachable: string }>;
}

/** The platform said "too fast" (Slack 429): nothing happened; try again after `retryAfterMs`. */
export class CampaignRateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`rate limited for ${retryAfterMs} ms`);
    this.name = 'CampaignRateLimited';
  }
}

export interface CampaignStarterOptions {
  store: CampaignStore;
  turns: TurnHandler;
  reach: Partial<Record<CampaignPlatform, CampaignReach>>;
  /** Steps at which a customer has not really begun: started again rather than counted. */
  freshSteps: readonly string[];
  now?: () => number;
}

/**
 * Starts the guide for one campaign customer, as `/tsid start @user` does: a
 * `session.start` turn. The turn's idempotency key is the campaign's and the
 * customer's, so a retry after a crash can never start them twice.
 */
export class CampaignStarter {
  private readonly now: () => number;

  constructor(private readonly options: CampaignStarterOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(campaign: string, customer: CampaignCustomer, attempt: number): Promise<CustomerOutcome> {
    const { store, turns } = this.options;
    // A retry of a start this campaign already attempted finds its own guide: not "already in the guide".
    const retry = attempt > 1 && (await store.wasAttempted(campaign, customer.id));
    if (!retry) {
      const status = await turns.status(customer.key);
      if (status && !this.options.freshSteps.includes(status.step))
        return { status: 'already', at: this.now(), step: status.step };
    }
    const reach = this.options.reach[customer.key.channel as CampaignPlatform];
    if (!reach) return { status: 'unreachable', at: this.now(), reason: `${customer.key.channel} is not configured` };
    const opened = await reach.open(customer);
    if ('unreachable' in opened) return { status: 'unreachable', at: this.now(), reason: opened.unreachable };
    await store.markAttempt(campaign, customer.id);
    const result = await turns.handle({
      key: customer.key,
      event: { type: 'session.start', ...(customer.step ? { step: customer.step } : {}) },
      idempotencyKey: `campaign:${campaign}:${customer.id}`,
      reference: opened.reference,
      locale: customer.locale ?? opened.locale,
    });
    return { status: 'started', at: this.now(), ...(result.step ? { step: result.step } : {}) };
  }
}
