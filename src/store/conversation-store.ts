import { conversationId, type ConversationKey, type OutboundMessage } from '../engine/messages.js';

/** One conversation as stored: the flow's persisted snapshot plus where to deliver. */
export interface ConversationRecord {
  key: ConversationKey;
  flowId: string;
  flowVersion: number;
  /** Grows by one on every saved turn; the compare-and-set is on it. */
  revision: number;
  snapshot: unknown;
  /** The adapter's delivery address (Slack DM channel, Teams conversation reference). */
  reference?: unknown;
  updatedAt: number;
}

/** Work a turn leaves behind, committed with the snapshot and removed once done. */
export type OutboxItem =
  | { id: string; type: 'message'; message: OutboundMessage }
  | { id: string; type: 'reminder.schedule'; reminderId: string; dueAt: number }
  | { id: string; type: 'reminder.cancel'; reminderId: string };

/**
 * The conversation store port. Every method may reject with `tsid_store_unavailable`.
 * Implementations: MemoryConversationStore below, RedisConversationStore.
 */
export interface ConversationStore {
  load(conversationId: string): Promise<ConversationRecord | undefined>;
  /**
   * Saves `record` and appends `outbox` atomically, only if the stored revision is still
   * `expectedRevision` (0: no record yet). Resolves false on a conflict.
   */
  save(record: ConversationRecord, expectedRevision: number, outbox: OutboxItem[]): Promise<boolean>;
  /** Outbox items not yet acknowledged, oldest first. */
  pendingOutbox(conversationId: string): Promise<OutboxItem[]>;
  /** Takes the right to process one item for `leaseMs`; false when another holds it. */
  claimOutboxItem(conversationId: string, itemId: string, leaseMs: number): Promise<boolean>;
  /** Lets the item be claimed again at once (its delivery failed). */
  releaseOutboxItem(conversationId: string, itemId: string): Promise<void>;
  /** The item is done: remove it. */
  ackOutboxItem(conversationId: string, itemId: string): Promise<void>;
  /** Conversations with outbox items left, for the sweeper that retries them. */
  conversationsWithOutbox(limit: number): Promise<string[]>;
  /** Records an inbound delivery; false when the same key was seen within `ttlMs`. */
  claimDelivery(idempotencyKey: string, ttlMs: number): Promise<boolean>;
  /** Forgets a delivery whose turn failed, so the platform's retry is processed. */
  releaseDelivery(idempotencyKey: string): Promise<void>;
  /** Erases the conversation and its outbox (the customer's right to erasure). */
  erase(conversationId: string): Promise<void>;
  /** Resolves when the store answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
}

interface MemoryEntry {
  record?: ConversationRecord;
  outbox: OutboxItem[];
  leases: Map<string, number>;
}

/**
 * In-memory store: the honest default when REDIS_URL is unset.
 * Single instance only: nothing is shared between processes or survives a restart.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly deliveries = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async load(conversationId: string): Promise<ConversationRecord | undefined> {
    const record = this.entries.get(conversationId)?.record;
    return record && structuredClone(record);
  }

  async save(record: ConversationRecord, expectedRevision: number, outbox: OutboxItem[]): Promise<boolean> {
    const id = conversationId(record.key);
    const entry = this.entry(id);
    if ((entry.record?.revision ?? 0) !== expectedRevision) return false;
    entry.record = structuredClone(record);
    entry.outbox.push(...structuredClone(outbox));
    return true;
  }

  async pendingOutbox(conversationId: string): Promise<OutboxItem[]> {
    return structuredClone(this.entries.get(conversationId)?.outbox ?? []);
  }

  async claimOutboxItem(conversationId: string, itemId: string, leaseMs: number): Promise<boolean> {
    const entry = this.entries.get(conversationId);
    if (!entry?.outbox.some((item) => item.id === itemId)) return false;
    const heldUntil = entry.leases.get(itemId);
    if (heldUntil !== undefined && heldUntil > this.now()) return false;
    entry.leases.set(itemId, this.now() + leaseMs);
    return true;
  }

  async releaseOutboxItem(conversationId: string, itemId: string): Promise<void> {
    this.entries.get(conversationId)?.leases.delete(itemId);
  }

  async ackOutboxItem(conversationId: string, itemId: string): Promise<void> {
    const entry = this.entries.get(conversationId);
    if (!entry) return;
    entry.outbox = entry.outbox.filter((item) => item.id !== itemId);
    entry.leases.delete(itemId);
  }

  async conversationsWithOutbox(limit: number): Promise<string[]> {
    return [...this.entries].filter(([, entry]) => entry.outbox.length > 0).slice(0, limit).map(([id]) => id);
  }

  async claimDelivery(idempotencyKey: string, ttlMs: number): Promise<boolean> {
    const expiresAt = this.deliveries.get(idempotencyKey);
    if (expiresAt !== undefined && expiresAt > this.now()) return false;
    this.deliveries.set(idempotencyKey, this.now() + ttlMs);
    return true;
  }

  async releaseDelivery(idempotencyKey: string): Promise<void> {
    this.deliveries.delete(idempotencyKey);
  }

  async erase(conversationId: string): Promise<void> {
    this.entries.delete(conversationId);
  }

  async ping(): Promise<void> {}

  private entry(id: string): MemoryEntry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { outbox: [], leases: new Map() };
      this.entries.set(id, entry);
    }
    return entry;
  }
}
