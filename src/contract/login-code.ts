import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { HashedLoginCode } from './messages.js';

/** Tries at a code before the sign-in it belongs to is void: 5 in 10^6 guesses. */
export const LOGIN_CODE_ATTEMPTS = 5;
/** How long a code can be typed after its sign-in: as long as a login link lives. */
export const LOGIN_CODE_TTL_MS = 10 * 60_000;

/** A fresh 6-digit code (leading zeros kept) and its salted hash. */
export function newLoginCode(): { code: string; hashed: HashedLoginCode } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16).toString('base64url');
  return { code, hashed: hashLoginCode(code, salt) };
}

/** A code's salted hash (transcripts fix the salt to replay a sign-in). */
export function hashLoginCode(code: string, salt: string): HashedLoginCode {
  return { salt, hash: hashCode(salt, code) };
}

/** The digits of what the customer typed ("123 456", "123-456"), if it can be a code at all. */
export function codeIn(text: string): string | undefined {
  const digits = text.replace(/[\s.-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

/** Whether `text` is the code (constant time). */
export function matchesLoginCode(text: string, hashed: HashedLoginCode | undefined): boolean {
  const code = codeIn(text);
  if (code === undefined || hashed === undefined) return false;
  const [a, b] = [Buffer.from(hashCode(hashed.salt, code)), Buffer.from(hashed.hash)];
  return a.length === b.length && timingSafeEqual(a, b);
}

function hashCode(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('base64url');
}
