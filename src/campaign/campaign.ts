import type { ConversationKey, Locale } from '../engine/index.js';

/** The platforms a campaign can reach. */
export type CampaignPlatform = 'slack' | 'teams';

/** One customer of a campaign, resolved (never an e-mail: only the platform's user id). */
export interface CampaignCustomer {
  /** The conversation id (`slack:T1:U1`): one customer per campaign. */
  id: string;
  key: ConversationKey;
  locale?: Locale;
  /** Where the guide opens (default: the beginning). */
  step?: string;
}

/** What became of one customer. */
export type CustomerOutcome =
  /** `step`: where the guide opened. */
  | { status: 'started'; at: number; step?: string }
  /** Already in the guide past its first step: counted, not restarted. */
  | { status: 'already'; at: number; step: string }
  /** The bot cannot write to them (a Teams user it never met, a deactivated Slack user). */
  | { status: 'unreachable'; at: number; reason: string }
  | { status: 'failed'; at: number; reason: string };

export type CampaignState = 'running' | 'paused' | 'stopped' | 'done';

export interface CampaignInfo {
  name: string;
  state: CampaignState;
  /** Starts per minute actually used: the asked rate, capped by the platforms' limits. */
  ratePerMinute: number;
  platforms: CampaignPlatform[];
  createdAt: number;
  createdBy: string;
  total: number;
}

/** The result of asking for the next customer to start. */
export type Claim =
  | { kind: 'go'; customer: CampaignCustomer; attempt: number; grantedAt: number }
  /** Nothing may start for this long (pace, or only leased customers left). */
  | { kind: 'wait'; ms: number }
  /** The campaign does not run (paused, stopped, done, unknown). */
  | { kind: 'idle' };

/** Per-platform least spacing between two starts, across every campaign and instance. */
export type PlatformIntervals = Record<CampaignPlatform, number>;

/**
 * Campaigns, their customers and their pace, shared by every bot instance (Redis:
 * src/campaign/redis-campaign-store.ts). Every customer is handed out by `claim` under a
 * lease; a customer whose instance died is handed out again when the lease ends.
 */
export interface CampaignStore {
  /** 'exists': a campaign of that name was created before (names are never reused). */
  create(info: CampaignInfo, customers: CampaignCustomer[]): Promise<'created' | 'exists'>;
  get(name: string): Promise<CampaignInfo | undefined>;
  /** Names of every campaign, newest first. */
  list(): Promise<string[]>;
  /** running ⇄ paused, either → stopped; false when the campaign is unknown or over. */
  setState(name: string, state: 'running' | 'paused' | 'stopped'): Promise<boolean>;
  claim(name: string, leaseMs: number, intervals: PlatformIntervals): Promise<Claim>;
  /** Notes that a start was attempted, before the turn (a retry after a crash then skips the "already in the guide" check). */
  markAttempt(name: string, id: string): Promise<void>;
  wasAttempted(name: string, id: string): Promise<boolean>;
  complete(name: string, id: string, outcome: CustomerOutcome): Promise<void>;
  /** Gives a claimed customer back (first in line); `backoffMs` holds the platform's pace that long (Retry-After). */
  release(name: string, customer: CampaignCustomer, backoffMs?: number): Promise<void>;
  customers(name: string): Promise<CampaignCustomer[]>;
  outcomes(name: string): Promise<Map<string, CustomerOutcome>>;
  /** Which campaign a conversation was started by (for progress), if any. */
  campaignOf(conversationId: string): Promise<string | undefined>;
  /** Progress of a campaign's customer: first time at each step, and flags (handoff, optout). */
  noteProgress(name: string, id: string, step: string | undefined, flags: string[], at: number): Promise<void>;
  progress(name: string): Promise<Map<string, CustomerProgress>>;
}

export interface CustomerProgress {
  /** Step id → first time the customer was there. */
  reached: Record<string, number>;
  last?: { step: string; at: number };
  /** `handoff`, `optout` → first time. */
  flags: Record<string, number>;
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Campaign names go into Redis keys and Slack commands: lower-case letters, digits, `.`, `_`, `-`. */
export function isCampaignName(name: string): boolean {
  return NAME.test(name);
}
