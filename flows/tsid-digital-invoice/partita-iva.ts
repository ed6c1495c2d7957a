/**
 * The Italian VAT number (Partita IVA), checked as python-stdnum's `it.iva` checks it, and
 * found at the end of a line the way customers write it. Pure functions.
 */

// Digits 8–10 name the issuing office: a province (001–100) or one of the special codes.
const SPECIAL_OFFICES = new Set([120, 121, 888, 999]);

/**
 * 11 ASCII digits, the first seven not all zero, a known office code and the Luhn check
 * digit (python-stdnum `it.iva.validate`). Takes the compact form: see `findPartitaIva`.
 */
export function isValidPartitaIva(vat: string): boolean {
  if (!/^\d{11}$/.test(vat) || vat.startsWith('0000000')) return false;
  const office = Number(vat.slice(7, 10));
  if (!((office >= 1 && office <= 100) || SPECIAL_OFFICES.has(office))) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(vat[i]);
    if (i % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  }
  return (10 - (sum % 10)) % 10 === Number(vat[10]);
}

const DECIMAL_DIGIT = /\p{Nd}/u;

/**
 * ASCII for the compatibility forms of ASCII characters (NFKC: fullwidth `０` and `Ｉ`,
 * superscripts, no-break spaces) and for every Unicode decimal digit (Arabic-Indic,
 * Devanagari, ...). Unicode assigns decimal digits in runs of ten from zero, so a digit's
 * value is its distance from the start of its run.
 */
export function asciiForm(text: string): string {
  return [...text]
    .map((char) => {
      const compatible = char.normalize('NFKC');
      if (compatible.length === 1 && compatible <= '\u007f') return compatible;
      if (!DECIMAL_DIGIT.test(char)) return char;
      const codePoint = char.codePointAt(0)!;
      return String((codePoint - runStart(codePoint)) % 10);
    })
    .join('');
}

/** The first code point of the run of decimal digits `codePoint` belongs to. */
function runStart(codePoint: number): number {
  let start = codePoint;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return start;
}

/** What a line says about its VAT number, as `findPartitaIva` reads it. */
export interface VatReading {
  /** The line before the VAT number (the company's name, still to be trimmed). */
  before: string;
  /** The number as typed, separators and `IT` left out: normally 11 digits. */
  vat: string;
  /** Text right after the number: letters stuck to it (`0074311015A`) or anything else. */
  after: 'nothing' | 'letters' | 'text';
}

const LABEL = String.raw`(?:\b(?:p\.?\s*iva|partita\s+iva|vat(?:\s+number)?)\s*[:.]?\s*)?`;
// Separators customers put between digit groups: space, dot, dash (any kind), slash.
const SEP = String.raw`[\s./\p{Pd}]`;
const VAT_LIKE = new RegExp(String.raw`${LABEL}(?:\bIT[\s-]?)?(\d(?:${SEP}?\d)*)`, 'giu');
/** Seven digits or more read as a VAT number (a wrong one, maybe); fewer belong to the name. */
const MIN_DIGITS = 7;

/**
 * Finds the VAT number of one company line (already in `asciiForm`): the last run of at
 * least seven digits, with its separators, an optional `IT` prefix and label (`P.IVA`,
 * `Partita IVA`, `VAT`). Undefined when the line has none.
 */
export function findPartitaIva(line: string): VatReading | undefined {
  const matches = [...line.matchAll(VAT_LIKE)].filter((m) => digitsOf(m[1]).length >= MIN_DIGITS);
  const match = matches.at(-1);
  if (!match) return undefined;
  let start = match.index;
  let group = match[1];
  // "Bar 2000 01234567890": the groups that make up the last 11 digits are the number, the rest is the name.
  const chunks = group.split(/\s+/);
  for (let count = 0, i = chunks.length - 1; i > 0; i--) {
    count += digitsOf(chunks[i]).length;
    if (count === 11) {
      const kept = chunks.slice(i).join(' ');
      start = match.index + match[0].length - kept.length;
      group = kept;
      break;
    }
  }
  const rest = line.slice(match.index + match[0].length);
  // A closing bracket or a full stop after the number is punctuation, not more text.
  const after = /^[\s)\].]*$/.test(rest) ? 'nothing' : /^[A-Za-z]{1,3}[\s)\].]*$/.test(rest) ? 'letters' : 'text';
  const letters = after === 'letters' ? rest.replace(/[\s)\].]+$/, '') : '';
  return { before: line.slice(0, start), vat: digitsOf(group) + letters, after };
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}
