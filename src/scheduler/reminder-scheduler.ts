import type { ConversationKey } from '../contract/messages.js';

/** A reminder a flow asked for: delivered back as `reminder.due` when it comes due. */
export interface ReminderEntry {
  conversationId: string;
  key: ConversationKey;
  reminderId: string;
  dueAt: number;
}

/**
 * The reminder scheduler port. `schedule` and `cancel` are idempotent (the outbox may
 * replay them). A claimed entry is leased: if it is not acknowledged within the lease,
 * it can be claimed again, so a crashed instance loses no reminder.
 * Implementations: MemoryReminderScheduler below, RedisReminderScheduler.
 */
export interface ReminderScheduler {
  schedule(entry: ReminderEntry): Promise<void>;
  cancel(conversationId: string, reminderId: string): Promise<void>;
  cancelAll(conversationId: string): Promise<void>;
  /** Due entries (dueAt <= now), at most `limit`, each leased for `leaseMs`. */
  claimDue(now: number, limit: number, leaseMs: number): Promise<ReminderEntry[]>;
  /** Done with a claimed entry: remove it. */
  ack(entry: ReminderEntry): Promise<void>;
  /** The earliest dueAt scheduled, if any (lets a caller sleep until then). */
  nextDueAt(): Promise<number | undefined>;
}

/** In-memory scheduler on an injected clock. Single instance only, lost on restart. */
export class MemoryReminderScheduler implements ReminderScheduler {
  private readonly entries = new Map<string, ReminderEntry & { leasedUntil: number }>();

  async schedule(entry: ReminderEntry): Promise<void> {
    // A replay of the same entry (the outbox is at-least-once) must not break its lease.
    if (this.entries.get(slot(entry.conversationId, entry.reminderId))?.dueAt === entry.dueAt) return;
    this.entries.set(slot(entry.conversationId, entry.reminderId), { ...entry, leasedUntil: 0 });
  }

  async cancel(conversationId: string, reminderId: string): Promise<void> {
    this.entries.delete(slot(conversationId, reminderId));
  }

  async cancelAll(conversationId: string): Promise<void> {
    for (const [id, entry] of this.entries) if (entry.conversationId === conversationId) this.entries.delete(id);
  }

  async claimDue(now: number, limit: number, leaseMs: number): Promise<ReminderEntry[]> {
    const due = [...this.entries.values()]
      .filter((entry) => entry.dueAt <= now && entry.leasedUntil <= now)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
    for (const entry of due) entry.leasedUntil = now + leaseMs;
    return due.map(({ leasedUntil: _lease, ...entry }) => entry);
  }

  async ack(entry: ReminderEntry): Promise<void> {
    const id = slot(entry.conversationId, entry.reminderId);
    if (this.entries.get(id)?.dueAt === entry.dueAt) this.entries.delete(id);
  }

  async nextDueAt(): Promise<number | undefined> {
    let next: number | undefined;
    for (const entry of this.entries.values()) if (next === undefined || entry.dueAt < next) next = entry.dueAt;
    return next;
  }
}

function slot(conversationId: string, reminderId: string): string {
  return `${conversationId}\u0000${reminderId}`;
}
