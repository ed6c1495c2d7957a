import type { Locale } from '../contract/messages.js';

/**
 * The words an adapter adds when a message had to be cut to fit a platform's size limits
 * (adapters/slack/slack-limits.ts, adapters/teams/card-limits.ts): said, never silent.
 */
const words = {
  it: { shortened: '(abbreviato)', more: (count: number) => `… e altri ${count}` },
  en: { shortened: '(shortened)', more: (count: number) => `… and ${count} more` },
} satisfies Record<Locale, { shortened: string; more: (count: number) => string }>;

export type LimitWords = (typeof words)['it'];

/** The cut markers in the message's language (Italian when unknown). */
export function limitWords(locale: Locale | undefined): LimitWords {
  return words[locale ?? 'it'];
}
