import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

// RFC 6749 §10.12: the `state` must be bound to the browser that started the sign-in.
// A cookie set on the login link's redirect is checked at the callback, so an
// authorization URL (or a `state`) carried to another browser is refused before any
// token request. Its path is the folder of both routes (`/auth/`), so the login route sees
// it and reuses it: two tabs of one browser carry one binding and both callbacks work.
const COOKIE = 'tsid_login';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The binding this browser already carries, if well formed. */
export function readBinding(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === COOKIE && value !== undefined && TOKEN.test(value)) return value;
  }
  return undefined;
}

/** Sets the binding cookie, sent back only under `/auth/` (the login link and the callback). */
export function writeBinding(res: Response, binding: string, callbackUrl: URL, maxAgeMs: number): void {
  res.cookie(COOKIE, binding, {
    httpOnly: true,
    sameSite: 'lax', // the IdP's redirect back is a top-level GET: Lax still sends it
    secure: callbackUrl.protocol === 'https:',
    path: callbackUrl.pathname.slice(0, callbackUrl.pathname.lastIndexOf('/') + 1),
    maxAge: maxAgeMs,
  });
}

/** Constant-time comparison of the cookie with the binding stored for the `state`. */
export function sameBinding(fromCookie: string | undefined, expected: string): boolean {
  if (fromCookie === undefined || fromCookie.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(fromCookie), Buffer.from(expected));
}
