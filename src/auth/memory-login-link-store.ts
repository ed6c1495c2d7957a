import { conversationId } from '../contract/messages.js';
import {
  PENDING_PER_LINK,
  type LinkLookup,
  type LoginLink,
  type LoginLinkStore,
  type PendingLogin,
} from './login-link-store.js';

/**
 * A Map whose entries expire. Entries are kept in the order they expire in (every caller
 * uses one time to live per map, and a rewrite moves the entry to the end), so pruning
 * stops at the first live entry: no walk over everything on each request.
 */
class ExpiringMap<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(id);
    return undefined;
  }

  set(id: string, value: T, ttlMs: number): void {
    this.prune();
    this.entries.delete(id); // to the end: the expiry order holds
    this.entries.set(id, { value, expiresAt: this.now() + ttlMs });
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Expired entries nobody asks for again would otherwise stay for the life of the process. */
  private prune(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(id);
    }
  }
}

/**
 * In-memory login-link store on an injected clock: the default when REDIS_URL is unset.
 * Single instance only: a link made by one process cannot be used on another.
 */
export class MemoryLoginLinkStore implements LoginLinkStore {
  private readonly links: ExpiringMap<LoginLink | 'used' | 'revoked'>;
  /** conversation id → its current link id. */
  private readonly current: ExpiringMap<string>;
  private readonly pending: ExpiringMap<PendingLogin>;
  /** link id → its pending states, oldest first (at most PENDING_PER_LINK). */
  private readonly statesOf: ExpiringMap<string[]>;

  constructor(now: () => number = Date.now) {
    this.links = new ExpiringMap(now);
    this.current = new ExpiringMap(now);
    this.pending = new ExpiringMap(now);
    this.statesOf = new ExpiringMap(now);
  }

  /** How many entries are held in all: the test of 100,000 opens checks it stays small. */
  get size(): number {
    return this.links.size + this.current.size + this.pending.size + this.statesOf.size;
  }

  async saveLink(linkId: string, link: LoginLink, ttlMs: number): Promise<void> {
    const conversation = conversationId(link.key);
    const earlier = this.current.get(conversation);
    if (earlier !== undefined && earlier !== linkId && this.links.get(earlier) !== undefined) {
      this.links.set(earlier, 'revoked', ttlMs);
    }
    this.links.set(linkId, structuredClone(link), ttlMs);
    this.current.set(conversation, linkId, ttlMs);
  }

  async findLink(linkId: string): Promise<LinkLookup> {
    const value = this.links.get(linkId);
    if (value === undefined) return { status: 'unknown' };
    if (value === 'used' || value === 'revoked') return { status: value };
    return { status: 'valid', link: structuredClone(value) };
  }

  async consumeLink(linkId: string, ttlMs: number): Promise<LoginLink | undefined> {
    const value = this.links.get(linkId);
    if (value === undefined || value === 'used' || value === 'revoked') return undefined;
    this.links.set(linkId, 'used', ttlMs);
    return value;
  }

  async savePending(state: string, pending: PendingLogin, ttlMs: number): Promise<void> {
    const states = [...(this.statesOf.get(pending.linkId) ?? []), state];
    for (const dropped of states.splice(0, Math.max(0, states.length - PENDING_PER_LINK))) this.pending.delete(dropped);
    this.statesOf.set(pending.linkId, states, ttlMs);
    this.pending.set(state, structuredClone(pending), ttlMs);
  }

  async takePending(state: string): Promise<PendingLogin | undefined> {
    const value = this.pending.get(state);
    this.pending.delete(state);
    return value;
  }
}
