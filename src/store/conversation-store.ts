import { conversationId, type ConversationKey, type OutboundMessage } from '../contract/messages.js';

/** One conversation as stored: the flow's persisted snapshot plus where to deliver. */
export interface ConversationRecord {
  key: ConversationKey;
  flowId: string;
  flowVersion: number;
  /** Grows by one on every saved turn; the compare-and-set is on it. */
  revision: number;
  /**
   * Set when the conversation starts and kept by every save: an erased conversation that starts
   * again counts revisions from 1 again, under a new incarnation (the engine's snapshot cache
   * keys on both). Absent on records saved before it existed; the next save adds one.
   */
  incarnation?: string;
  snapshot: unknown;
  /** The adapter's delivery address (Slack DM channel, Teams conversation reference). */
  reference?: unknown;
  updatedAt: number;
}

/** Work a turn leaves behind, committed with the snapshot and removed once done. */
export type OutboxItem =
  /** `notice`: it stands in for a message the platform refused (it is never replaced by another notice). */
  | { id: string; type: 'message'; message: OutboundMessage; notice?: true }
  | { id: string; type: 'reminder.schedule'; reminderId: string; dueAt: number }
  | { id: string; type: 'reminder.cancel'; reminderId: string };

/**
 * An outbox message the platform refused for good, kept for an operator to read and
 * replay. It stays with its conversation (erased with it, gone after its retention).
 */
export interface DeadLetter {
  /** `<conversationId>/<item id>`: what `replayDeadLetter` takes. */
  id: string;
  conversationId: string;
  item: OutboxItem;
  /** The error code (`tsid_delivery_rejected`) and its short reason (`slack_invalid_blocks`, `http_413`, `encoding`). */
  code: string;
  reason: string;
  /** When it was refused (ms). */
  at: number;
}

/** At most this many dead letters are kept per conversation (the newest). */
export const DEAD_LETTERS_PER_CONVERSATION = 100;

/** The id of a dead letter, and back: item ids never hold a `/`, conversation ids may. */
export function deadLetterId(conversationId: string, itemId: string): string {
  return `${conversationId}/${itemId}`;
}

export function parseDeadLetterId(id: string): { conversationId: string; itemId: string } | undefined {
  const slash = id.lastIndexOf('/');
  return slash > 0 ? { conversationId: id.slice(0, slash), itemId: id.slice(slash + 1) } : undefined;
}

/** What a turn starts from: the record, and whether this very delivery was already saved. */
export interface TurnStart {
  record?: ConversationRecord;
  /** A turn with this delivery key has been saved: the delivery is a repeat (a retry, a redelivery). */
  seen: boolean;
}

/**
 * How many delivery marks a conversation keeps, the newest. A repeat is recognised while its
 * mark is younger than its time (10 minutes by default: Slack's last retry comes about 5
 * minutes after the event, Teams' sooner) and among the newest 4: a platform retries a
 * delivery only when its ack failed, and retries it later only while the bot keeps failing,
 * so the customer, unanswered meanwhile, has not written 4 more times. Kept small because a
 * parked conversation carries its last marks (issue 24: ~90 bytes in its record, no key).
 */
export const DELIVERY_MARKS = 4;

/** An inbound delivery (Slack `event_id`, Teams `activity.id`, reminder) recorded by the save that handled it. */
export interface DeliveryMark {
  key: string;
  /** How long a repeat of it is recognised. */
  ttlMs: number;
}

export interface SaveOptions {
  /** The inbound delivery this save handles: recorded with it, refused if already recorded. */
  delivery?: DeliveryMark;
  /**
   * Lease the new outbox items to the caller for this long, in the same write, when nothing
   * older is pending: the caller then sends them without claiming each (outcome `leased`).
   */
  leaseMs?: number;
}

/**
 * `saved`, or `leased` (saved, and the new items are the caller's to send: see SaveOptions);
 * `conflict`: the revision moved; `seen`: a save with the same delivery key already happened.
 */
export type SaveOutcome = 'saved' | 'leased' | 'conflict' | 'seen';

/**
 * The conversation store port. Every method may reject with `tsid_store_unavailable`.
 * Implementations: MemoryConversationStore below, RedisConversationStore.
 *
 * Idempotency lives in the save: a delivery counts as handled only once a save recorded
 * its key together with the record and the outbox, so a crash or a timeout anywhere
 * before that leaves the platform's retry to be processed, never dropped.
 */
export interface ConversationStore {
  load(conversationId: string): Promise<ConversationRecord | undefined>;
  /** The record and whether `deliveryKey` was already saved, in one read. */
  loadTurn(conversationId: string, deliveryKey?: string): Promise<TurnStart>;
  /**
   * Saves `record`, appends `outbox` and records the delivery atomically, only if the stored
   * revision is still `expectedRevision` (0: no record yet) and the delivery was not saved before.
   */
  save(
    record: ConversationRecord,
    expectedRevision: number,
    outbox: OutboxItem[],
    options?: SaveOptions,
  ): Promise<SaveOutcome>;
  /** Outbox items not yet acknowledged, oldest first. */
  pendingOutbox(conversationId: string): Promise<OutboxItem[]>;
  /** Takes the right to process one item for `leaseMs`; false when another holds it. */
  claimOutboxItem(conversationId: string, itemId: string, leaseMs: number): Promise<boolean>;
  /** The holder of an item (it sent it) extends its lease while it retries the ack; false when the item is gone. */
  renewOutboxLease(conversationId: string, itemId: string, leaseMs: number): Promise<boolean>;
  /** Lets the items be claimed again at once (their delivery failed). */
  releaseOutboxItems(conversationId: string, itemIds: string[]): Promise<void>;
  /** The items are done: remove them. Resolves with how many items are left in the outbox. */
  ackOutboxItems(conversationId: string, itemIds: string[]): Promise<number>;
  /**
   * Moves an outbox item the platform refused for good to the conversation's dead letters,
   * in one write, with `notice` (if any) taking its place in the outbox so order is kept.
   * False when the item is no longer in the outbox.
   */
  deadLetter(
    conversationId: string,
    itemId: string,
    why: Pick<DeadLetter, 'code' | 'reason' | 'at'>,
    notice?: OutboxItem,
  ): Promise<boolean>;
  /** The newest dead letters over all conversations, newest first (operators; see README "Dead letters"). */
  deadLetters(limit: number): Promise<DeadLetter[]>;
  /** Puts a dead letter's item back at the end of its outbox (the sweeper sends it); false when unknown. */
  replayDeadLetter(id: string): Promise<boolean>;
  /** Conversations with outbox work left, for the sweeper that retries them. */
  conversationsWithOutbox(limit: number): Promise<string[]>;
  /** Erases the conversation, its outbox and its delivery marks (the customer's right to erasure). */
  erase(conversationId: string): Promise<void>;
  /** Resolves when the store answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
}

interface MemoryEntry {
  record?: ConversationRecord;
  outbox: OutboxItem[];
  leases: Map<string, number>;
  /** Newest first, at most DEAD_LETTERS_PER_CONVERSATION. */
  dead: DeadLetter[];
  /** Delivery key -> when it is forgotten. */
  seen: Map<string, number>;
}

/**
 * In-memory store: the honest default when REDIS_URL is unset.
 * Single instance only: nothing is shared between processes or survives a restart.
 */
export class MemoryConversationStore implements ConversationStore {
  private readonly entries = new Map<string, MemoryEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  async load(conversationId: string): Promise<ConversationRecord | undefined> {
    const record = this.entries.get(conversationId)?.record;
    return record && structuredClone(record);
  }

  async loadTurn(conversationId: string, deliveryKey?: string): Promise<TurnStart> {
    return { record: await this.load(conversationId), seen: this.seen(conversationId, deliveryKey) };
  }

  async save(
    record: ConversationRecord,
    expectedRevision: number,
    outbox: OutboxItem[],
    options: SaveOptions = {},
  ): Promise<SaveOutcome> {
    const { delivery, leaseMs } = options;
    const id = conversationId(record.key);
    if (this.seen(id, delivery?.key)) return 'seen';
    const entry = this.entry(id);
    if ((entry.record?.revision ?? 0) !== expectedRevision) return 'conflict';
    const lease = leaseMs !== undefined && outbox.length > 0 && entry.outbox.length === 0;
    entry.record = structuredClone(record);
    entry.outbox.push(...structuredClone(outbox));
    if (lease) for (const item of outbox) entry.leases.set(item.id, this.now() + leaseMs);
    if (delivery) {
      for (const [key, until] of entry.seen) if (until <= this.now()) entry.seen.delete(key);
      entry.seen.set(delivery.key, this.now() + delivery.ttlMs);
      // Oldest first (insertion order): keep the newest DELIVERY_MARKS.
      for (const key of [...entry.seen.keys()].slice(0, -DELIVERY_MARKS)) entry.seen.delete(key);
    }
    return lease ? 'leased' : 'saved';
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

  async renewOutboxLease(conversationId: string, itemId: string, leaseMs: number): Promise<boolean> {
    const entry = this.entries.get(conversationId);
    if (!entry?.outbox.some((item) => item.id === itemId)) return false;
    entry.leases.set(itemId, this.now() + leaseMs);
    return true;
  }

  async releaseOutboxItems(conversationId: string, itemIds: string[]): Promise<void> {
    for (const itemId of itemIds) this.entries.get(conversationId)?.leases.delete(itemId);
  }

  async ackOutboxItems(conversationId: string, itemIds: string[]): Promise<number> {
    const entry = this.entries.get(conversationId);
    if (!entry) return 0;
    entry.outbox = entry.outbox.filter((item) => !itemIds.includes(item.id));
    for (const itemId of itemIds) entry.leases.delete(itemId);
    return entry.outbox.length;
  }

  async deadLetter(
    conversationId: string,
    itemId: string,
    why: Pick<DeadLetter, 'code' | 'reason' | 'at'>,
    notice?: OutboxItem,
  ): Promise<boolean> {
    const entry = this.entries.get(conversationId);
    const index = entry?.outbox.findIndex((item) => item.id === itemId) ?? -1;
    if (!entry || index < 0) return false;
    const [item] = entry.outbox.splice(index, 1, ...(notice ? [structuredClone(notice)] : []));
    entry.leases.delete(itemId);
    entry.dead.unshift({ id: deadLetterId(conversationId, itemId), conversationId, item, ...why });
    entry.dead.length = Math.min(entry.dead.length, DEAD_LETTERS_PER_CONVERSATION);
    return true;
  }

  async deadLetters(limit: number): Promise<DeadLetter[]> {
    const all = [...this.entries.values()].flatMap((entry) => entry.dead);
    return structuredClone(all.sort((a, b) => b.at - a.at).slice(0, limit));
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    const parsed = parseDeadLetterId(id);
    const entry = parsed && this.entries.get(parsed.conversationId);
    const index = entry?.dead.findIndex((letter) => letter.id === id) ?? -1;
    if (!entry || index < 0) return false;
    const [letter] = entry.dead.splice(index, 1);
    entry.outbox.push(letter.item);
    return true;
  }

  async conversationsWithOutbox(limit: number): Promise<string[]> {
    return [...this.entries]
      .filter(([, entry]) => entry.outbox.length > 0)
      .slice(0, limit)
      .map(([id]) => id);
  }

  async erase(conversationId: string): Promise<void> {
    this.entries.delete(conversationId);
  }

  async ping(): Promise<void> {}

  private seen(id: string, deliveryKey: string | undefined): boolean {
    const until = deliveryKey === undefined ? undefined : this.entries.get(id)?.seen.get(deliveryKey);
    return until !== undefined && until > this.now();
  }

  private entry(id: string): MemoryEntry {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { outbox: [], leases: new Map(), dead: [], seen: new Map() };
      this.entries.set(id, entry);
    }
    return entry;
  }
}
