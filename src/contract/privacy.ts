/** Masks an e-mail address for display: `mario.rossi@example.it` → `m•••@example.it`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email[0]}•••${email.slice(at)}`;
}

/** Masks a VAT number for logs and helpdesk posts: `01234567897` → `•••••••7897`. */
export function maskVat(vat: string): string {
  return `${'•'.repeat(Math.max(0, vat.length - 4))}${vat.slice(-4)}`;
}

/** Masks the e-mail addresses and VAT-like 11-digit numbers inside free text (summaries of what a customer typed). */
export function maskPersonalData(text: string): string {
  return text
    .replace(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g, (email) => maskEmail(email))
    .replace(/(?<!\d)(?:IT\s?)?\d{11}(?!\d)/gi, (vat) => maskVat(vat.replace(/\D/g, '')));
}
