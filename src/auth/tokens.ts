import { randomBytes } from 'node:crypto';

/** How long a login link works, and how long a started sign-in may take. */
export const LOGIN_LINK_TTL_MS = 10 * 60_000;

const LINK_ID = /^[A-Za-z0-9_-]{32}$/;

/** A random opaque token, base64url (default 256 bits). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A new login-link id: 192 random bits, opaque, 32 URL-safe characters. */
export function newLinkId(): string {
  return randomToken(24);
}

/** Whether `text` can be a link id at all (anything else is not even looked up). */
export function isLinkId(text: string): boolean {
  return LINK_ID.test(text);
}
