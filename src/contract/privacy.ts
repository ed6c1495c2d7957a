/** Masks an e-mail address for display: `mario.rossi@example.it` → `m•••@example.it`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** Masks a VAT number for logs and helpdesk posts: `01234567897` → `•••••••7897`. */
export function maskVat(vat: string): string {
  const chars = [...vat]; // by code point: some scripts' digits are surrogate pairs, never to be split
  return `${'•'.repeat(Math.max(0, chars.length - 4))}${chars.slice(-4).join('')}`;
}

// 11 digits of any script, with the separators the company parser accepts (`IT 007-431-101-57`).
const VAT_LIKE = /(?<!\p{Nd})(?:IT[\s-]?)?\p{Nd}(?:[\s./\p{Pd}]?\p{Nd}){10}(?!\p{Nd})/giu;

/** Masks the e-mail addresses and VAT-like 11-digit numbers inside free text (summaries of what a customer typed). */
export function maskPersonalData(text: string): string {
  return text
    .replace(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g, (email) => maskEmail(email))
    .replace(VAT_LIKE, (vat) => maskVat(vat.replace(/[^\p{Nd}]/gu, '')));
}
