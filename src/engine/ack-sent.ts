import type { ConversationStore } from '../store/conversation-store.js';

/** How long a sender keeps trying to acknowledge what it sent, in leases (the turn is held meanwhile). */
const ACK_RETRY_LEASES = 2;

/**
 * Acknowledges items this instance has just delivered. The sender knows they went out: if
 * the ack fails (a Redis timeout under load), it tries again and, between tries, extends the
 * items' lease so no sweeper takes them for undelivered and sends them a second time. Gives
 * up (rejects) after two leases; the sweeper may then re-send, as after a crash.
 */
export async function ackSent(
  store: Pick<ConversationStore, 'ackOutboxItems' | 'renewOutboxLease'>,
  id: string,
  itemIds: string[],
  leaseMs: number,
  now: () => number = Date.now,
): Promise<number> {
  const deadline = now() + ACK_RETRY_LEASES * leaseMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.ackOutboxItems(id, itemIds);
    } catch (error) {
      if (now() >= deadline) throw error;
      await Promise.all(itemIds.map((item) => store.renewOutboxLease(id, item, leaseMs))).catch(() => undefined);
      // Well within the lease just renewed, so the next renewal comes before it runs out.
      await new Promise((resolve) => setTimeout(resolve, Math.min(leaseMs / 3, 100 * 2 ** attempt)));
    }
  }
}
