import type { ConversationKey } from '../engine/index.js';
import type { HandoffCard, HelpdeskPlatform, HelpdeskPost } from './helpdesk-port.js';

/** The agent who owns a hand-off. */
export interface HandoffAgent {
  platform: HelpdeskPlatform;
  id: string;
  name: string;
}

/** The card without its live parts (status, buttons): what a record keeps to redraw it. */
export type HandoffCardBase = Pick<HandoffCard, 'title' | 'facts' | 'lastMessages'> & {
  /** The customer's companies when the hand-off was asked for: an agent may hand back to one. */
  companies?: { name: string; active: boolean }[];
};

/** One hand-off: a customer conversation and its post in a helpdesk. */
export interface HandoffRecord {
  /** `<conversationId>#<request id>`: the same request delivered twice has the same id. */
  requestId: string;
  conversationId: string;
  key: ConversationKey;
  platform: HelpdeskPlatform;
  card: HandoffCardBase;
  createdAt: number;
  state: 'open' | 'resumed' | 'closed';
  owner?: HandoffAgent;
  post?: HelpdeskPost;
  /** How it ended: who, and the step handed back to. */
  outcome?: { by: string; step?: string };
}

export type NewHandoff = Omit<HandoffRecord, 'state' | 'owner' | 'post' | 'outcome'>;

/** `post`: the caller holds the right to post for `leaseMs`; `posted`: done before; `busy`: another caller is posting. */
export type OpenResult = 'post' | 'posted' | 'busy';

export type TakeResult =
  { outcome: 'taken' } | { outcome: 'owned'; owner: HandoffAgent } | { outcome: 'finished' } | { outcome: 'missing' };

/**
 * Hand-off records. `open` makes posting idempotent per request, `take` is atomic (two
 * agents at once: one owner). Every method may reject with `tsid_store_unavailable`.
 * Implementations: MemoryHandoffStore below, RedisHandoffStore (src/store).
 */
export interface HandoffStore {
  /** Creates the record unless it exists, and claims the right to post it. Also makes it the conversation's current hand-off. */
  open(record: NewHandoff, leaseMs: number): Promise<OpenResult>;
  /** The post exists: remember it (and its thread) and give up the claim. */
  attachPost(requestId: string, post: HelpdeskPost): Promise<void>;
  /** Posting failed: someone may try again at once. */
  releaseClaim(requestId: string): Promise<void>;
  get(requestId: string): Promise<HandoffRecord | undefined>;
  byThread(thread: string): Promise<HandoffRecord | undefined>;
  /** The conversation's latest hand-off. */
  current(conversationId: string): Promise<HandoffRecord | undefined>;
  /** Makes `agent` the owner if nobody is; atomic. */
  take(requestId: string, agent: HandoffAgent): Promise<TakeResult>;
  /** Undoes a take whose turn failed (only if `agent` still owns it). */
  release(requestId: string, agent: HandoffAgent): Promise<void>;
  finish(requestId: string, state: 'resumed' | 'closed', outcome: { by: string; step?: string }): Promise<void>;
}

interface Entry {
  record: HandoffRecord;
  claimUntil: number;
}

/**
 * In-memory hand-offs: the honest default when REDIS_URL is unset.
 * Single instance only: nothing is shared between processes or survives a restart.
 */
export class MemoryHandoffStore implements HandoffStore {
  private readonly entries = new Map<string, Entry>();
  private readonly threads = new Map<string, string>();
  private readonly currents = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  async open(record: NewHandoff, leaseMs: number): Promise<OpenResult> {
    const entry = this.entries.get(record.requestId) ?? {
      record: { ...structuredClone(record), state: 'open' as const },
      claimUntil: 0,
    };
    this.entries.set(record.requestId, entry);
    this.currents.set(record.conversationId, record.requestId);
    if (entry.record.post) return 'posted';
    if (entry.claimUntil > this.now()) return 'busy';
    entry.claimUntil = this.now() + leaseMs;
    return 'post';
  }

  async attachPost(requestId: string, post: HelpdeskPost): Promise<void> {
    const entry = this.entries.get(requestId);
    if (!entry) return;
    entry.record.post = structuredClone(post);
    entry.claimUntil = 0;
    this.threads.set(post.thread, requestId);
  }

  async releaseClaim(requestId: string): Promise<void> {
    const entry = this.entries.get(requestId);
    if (entry) entry.claimUntil = 0;
  }

  async get(requestId: string): Promise<HandoffRecord | undefined> {
    const record = this.entries.get(requestId)?.record;
    return record && structuredClone(record);
  }

  async byThread(thread: string): Promise<HandoffRecord | undefined> {
    const id = this.threads.get(thread);
    return id === undefined ? undefined : this.get(id);
  }

  async current(conversationId: string): Promise<HandoffRecord | undefined> {
    const id = this.currents.get(conversationId);
    return id === undefined ? undefined : this.get(id);
  }

  async take(requestId: string, agent: HandoffAgent): Promise<TakeResult> {
    const record = this.entries.get(requestId)?.record;
    if (!record) return { outcome: 'missing' };
    if (record.owner) return { outcome: 'owned', owner: structuredClone(record.owner) };
    if (record.state !== 'open') return { outcome: 'finished' };
    record.owner = structuredClone(agent);
    return { outcome: 'taken' };
  }

  async release(requestId: string, agent: HandoffAgent): Promise<void> {
    const record = this.entries.get(requestId)?.record;
    if (record?.owner?.id === agent.id && record.owner.platform === agent.platform) delete record.owner;
  }

  async finish(requestId: string, state: 'resumed' | 'closed', outcome: { by: string; step?: string }): Promise<void> {
    const record = this.entries.get(requestId)?.record;
    if (!record) return;
    record.state = state;
    record.outcome = { ...outcome };
  }
}
