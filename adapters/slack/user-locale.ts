import type { Locale } from '../../src/engine/index.js';

/** Slack's user locale (`it-IT`, `en-GB`) → ours; undefined for any other language. */
export function toLocale(slackLocale: string | undefined): Locale | undefined {
  const language = slackLocale?.slice(0, 2).toLowerCase();
  return language === 'it' || language === 'en' ? language : undefined;
}

export interface UserLocalesOptions {
  /** Asks Slack for a user's locale (`users.info` with `include_locale`). */
  lookup: (user: string) => Promise<string | undefined>;
  /** When Slack does not say, or says a language we do not speak (default `it`). */
  fallback?: Locale;
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Users' locales, cached: one `users.info` per user per `ttlMs` (default 1 day).
 * A failed lookup answers the fallback and is not cached, so the next turn asks again.
 */
export class UserLocales {
  private readonly cache = new Map<string, { locale: Locale; expiresAt: number }>();
  private readonly now: () => number;

  constructor(private readonly options: UserLocalesOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(team: string, user: string): Promise<Locale> {
    const id = `${team}:${user}`;
    const hit = this.cache.get(id);
    if (hit && hit.expiresAt > this.now()) return hit.locale;
    let slackLocale: string | undefined;
    try {
      slackLocale = await this.options.lookup(user);
    } catch {
      return this.fallback;
    }
    const locale = toLocale(slackLocale) ?? this.fallback;
    this.cache.delete(id);
    if (this.cache.size >= (this.options.maxEntries ?? 10_000)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(id, { locale, expiresAt: this.now() + (this.options.ttlMs ?? 86_400_000) });
    return locale;
  }

  private get fallback(): Locale {
    return this.options.fallback ?? 'it';
  }
}
