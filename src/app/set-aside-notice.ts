import { systemText, type Delivery, type Inbound } from '../engine/index.js';
import type { InboxEntry } from '../store/redis-overflow-inbox.js';

/**
 * The one sentence for a customer whose turn the overflow inbox set aside: their request was
 * acknowledged, so without it they would wait for an answer that never comes. Undefined for an
 * entry without a key or a reference (nothing to answer through).
 */
export function setAsideNotice(conversationId: string, entry: InboxEntry): Delivery | undefined {
  const { key, reference, locale } = entry.inbound as Partial<Inbound>;
  if (!key || reference === undefined) return undefined;
  return {
    key,
    conversationId,
    reference,
    message: { kind: 'prompt', step: 'set-aside', text: systemText('setAside', locale === 'en' ? 'en' : 'it') },
  };
}
