import { createHash } from 'node:crypto';

/**
 * Who signed in, for the audit log, without the subject itself: SHA-256 of issuer and subject
 * (16 bytes, base64url). The same person at the same provider always gives the same value.
 */
export function subjectHash(issuer: string, subject: string): string {
  return createHash('sha256').update(`${issuer}\n${subject}`).digest().subarray(0, 16).toString('base64url');
}
