import type { ConversationKey } from '../contract/messages.js';

/** A personal login link as stored: the conversation (and so the chat user) it was made for. */
export interface LoginLink {
  key: ConversationKey;
  createdAt: number;
  /** After this instant (the injected clock's) the link shows the "expired" page. */
  expiresAt: number;
}

/** One started sign-in, keyed by its OAuth `state`: what the callback needs to check the answer. */
export interface PendingLogin {
  linkId: string;
  codeVerifier: string;
  nonce: string;
  /** Random value also set as a cookie in the browser that started the sign-in. */
  browserBinding: string;
}

/** What a lookup of a link found: the link, a link already used, or nothing (expired or never made). */
export type LinkLookup = { status: 'valid'; link: LoginLink } | { status: 'used' } | { status: 'unknown' };

/**
 * The login-link store port. Links and pending sign-ins are short-lived (10 minutes).
 * Every method may reject with `tsid_store_unavailable`.
 * Implementations: MemoryLoginLinkStore below, RedisLoginLinkStore (src/store/).
 */
export interface LoginLinkStore {
  saveLink(linkId: string, link: LoginLink, ttlMs: number): Promise<void>;
  /** Reads a link without using it up: a link preview's GET must not consume it. */
  findLink(linkId: string): Promise<LinkLookup>;
  /**
   * Uses a link up, atomically: exactly one caller gets the link; later lookups say "used"
   * (for `ttlMs`). Resolves undefined when it was used or gone already.
   */
  consumeLink(linkId: string, ttlMs: number): Promise<LoginLink | undefined>;
  savePending(state: string, pending: PendingLogin, ttlMs: number): Promise<void>;
  /** Takes a pending sign-in once: a replayed callback finds nothing. */
  takePending(state: string): Promise<PendingLogin | undefined>;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

/**
 * In-memory login-link store on an injected clock: the default when REDIS_URL is unset.
 * Single instance only: a link made by one process cannot be used on another.
 */
export class MemoryLoginLinkStore implements LoginLinkStore {
  private readonly links = new Map<string, Expiring<LoginLink | 'used'>>();
  private readonly pending = new Map<string, Expiring<PendingLogin>>();

  constructor(private readonly now: () => number = Date.now) {}

  async saveLink(linkId: string, link: LoginLink, ttlMs: number): Promise<void> {
    this.prune(this.links);
    this.links.set(linkId, { value: structuredClone(link), expiresAt: this.now() + ttlMs });
  }

  async findLink(linkId: string): Promise<LinkLookup> {
    const value = this.live(this.links, linkId);
    if (value === undefined) return { status: 'unknown' };
    return value === 'used' ? { status: 'used' } : { status: 'valid', link: structuredClone(value) };
  }

  async consumeLink(linkId: string, ttlMs: number): Promise<LoginLink | undefined> {
    const value = this.live(this.links, linkId);
    if (value === undefined || value === 'used') return undefined;
    this.links.set(linkId, { value: 'used', expiresAt: this.now() + ttlMs });
    return value;
  }

  async savePending(state: string, pending: PendingLogin, ttlMs: number): Promise<void> {
    this.prune(this.pending);
    this.pending.set(state, { value: structuredClone(pending), expiresAt: this.now() + ttlMs });
  }

  async takePending(state: string): Promise<PendingLogin | undefined> {
    const value = this.live(this.pending, state);
    this.pending.delete(state);
    return value;
  }

  /** Expired entries nobody asks for again would otherwise stay for the life of the process. */
  private prune(map: Map<string, Expiring<unknown>>): void {
    const now = this.now();
    for (const [id, entry] of map) if (entry.expiresAt <= now) map.delete(id);
  }

  private live<T>(map: Map<string, Expiring<T>>, id: string): T | undefined {
    const entry = map.get(id);
    if (entry && entry.expiresAt <= this.now()) map.delete(id);
    return entry && entry.expiresAt > this.now() ? entry.value : undefined;
  }
}
