import { oneEdit } from './one-edit.js';

/** Mail domains Italian customers use most: a domain one slip away from one of these is likely a typo. */
const COMMON_DOMAINS = [
  'gmail.com',
  'hotmail.com',
  'hotmail.it',
  'outlook.com',
  'outlook.it',
  'live.it',
  'libero.it',
  'virgilio.it',
  'alice.it',
  'tin.it',
  'tiscali.it',
  'yahoo.com',
  'yahoo.it',
  'icloud.com',
  'fastwebnet.it',
  'pec.it',
];

/** The address with its domain corrected ("mario@gmial.com" → "mario@gmail.com"), or undefined when it looks right. */
export function suggestEmail(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1).toLowerCase();
  if (at < 1 || COMMON_DOMAINS.includes(domain)) return undefined;
  const near = COMMON_DOMAINS.filter((known) => known.length >= 6 && oneEdit(known, domain));
  return near.length === 1 ? `${email.slice(0, at)}@${near[0]}` : undefined;
}
