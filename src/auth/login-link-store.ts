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

/**
 * What a lookup of a link found: the link, a link already used, a link replaced by a newer
 * one of its conversation ([New link]), or nothing (expired or never made).
 */
export type LinkLookup =
  { status: 'valid'; link: LoginLink } | { status: 'used' } | { status: 'revoked' } | { status: 'unknown' };

/** Started sign-ins kept per link: the newest win, so opening a link many times holds memory flat. */
export const PENDING_PER_LINK = 3;

/**
 * The login-link store port. Links and pending sign-ins are short-lived (10 minutes).
 * Every method may reject with `tsid_store_unavailable`.
 * Implementations: MemoryLoginLinkStore below, RedisLoginLinkStore (src/store/).
 */
export interface LoginLinkStore {
  /** Saves a link as its conversation's current one: the conversation's earlier link is revoked. */
  saveLink(linkId: string, link: LoginLink, ttlMs: number): Promise<void>;
  /** Reads a link without using it up: a link preview's GET must not consume it. */
  findLink(linkId: string): Promise<LinkLookup>;
  /**
   * Uses a link up, atomically: exactly one caller gets the link; later lookups say "used"
   * (for `ttlMs`). Resolves undefined when it was used, revoked or gone already.
   */
  consumeLink(linkId: string, ttlMs: number): Promise<LoginLink | undefined>;
  /** Keeps at most PENDING_PER_LINK pending sign-ins per link: saving one more drops the oldest. */
  savePending(state: string, pending: PendingLogin, ttlMs: number): Promise<void>;
  /** Takes a pending sign-in once: a replayed callback finds nothing. */
  takePending(state: string): Promise<PendingLogin | undefined>;
}
