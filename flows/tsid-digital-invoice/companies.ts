import { isAnswerWord } from './interpret.js';
import { isEmailAddress } from './setup.js';
import type { Company } from './types.js';
import type { CopyKey, CopyParams } from './copy.js';

export const MAX_COMPANIES = 20;
export const MAX_NAME_LENGTH = 80;
export const MAX_LIST_LENGTH = 2000;

export interface CompanyProblem {
  key: CopyKey;
  params: CopyParams;
}

export interface ParsedCompanies {
  companies: Company[];
  problems: CompanyProblem[];
}

/** Partita IVA check digit (Luhn variant over 11 digits). */
export function isValidPartitaIva(vat: string): boolean {
  if (!/^\d{11}$/.test(vat)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(vat[i]);
    if (i % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  }
  return (10 - (sum % 10)) % 10 === Number(vat[10]);
}

// A run of digits (spaces allowed inside), optionally after "IT", "P.IVA", "Partita IVA", "VAT".
const VAT_PATTERN =
  /(?:\b(?:p\.?\s*iva|partita\s+iva|vat(?:\s+number)?)\s*[:.]?\s*)?(?:\bIT\s?)?(\d[\d ]{5,14}\d)\s*$/i;

/**
 * Reads the list a customer typed: one company per line or comma-separated, each a name
 * with an optional Partita IVA at the end. Invalid entries are reported, never dropped.
 */
export function parseCompanies(text: string): ParsedCompanies {
  if (text.length > MAX_LIST_LENGTH) {
    return { companies: [], problems: [{ key: 'problem.too-long', params: { max: MAX_LIST_LENGTH } }] };
  }
  const entries = text
    .split(/[\n,;]+/)
    .map((entry) => entry.replace(/^\s*(?:\d+[.)]|[-*•])\s+/, '').trim())
    .filter(Boolean);
  const problems: CompanyProblem[] = [];
  const companies: Company[] = [];
  for (const entry of entries) {
    const company = parseEntry(entry, problems);
    if (!company) continue;
    if (companies.some((known) => sameName(known.name, company.name))) {
      problems.push({ key: 'problem.duplicate', params: { name: company.name } });
      continue;
    }
    companies.push(company);
  }
  if (entries.length === 0) problems.push({ key: 'problem.empty', params: {} });
  if (companies.length > MAX_COMPANIES) {
    problems.push({ key: 'problem.too-many', params: { max: MAX_COMPANIES, count: companies.length } });
  }
  return { companies, problems };
}

function parseEntry(entry: string, problems: CompanyProblem[]): Company | undefined {
  const match = VAT_PATTERN.exec(entry);
  const name = (match ? entry.slice(0, match.index) : entry).replace(/[\s:(\-–]+$/, '').trim();
  const vat = match?.[1].replace(/ /g, '');
  if (!name) {
    problems.push({ key: 'problem.name-missing', params: { vat: vat ?? '' } });
    return undefined;
  }
  if (name.length > MAX_NAME_LENGTH) {
    problems.push({ key: 'problem.name-too-long', params: { max: MAX_NAME_LENGTH, name: name.slice(0, 30) } });
    return undefined;
  }
  // Without a VAT number, a bare "fatto" or "stop" is a misplaced answer, not a company.
  if (vat === undefined && isAnswerWord(name)) {
    problems.push({ key: 'problem.answer-word', params: { name } });
    return undefined;
  }
  if (isEmailAddress(name)) {
    problems.push({ key: 'problem.email', params: {} });
    return undefined;
  }
  if (vat !== undefined && vat.length !== 11) {
    problems.push({ key: 'problem.vat-length', params: { name, digits: vat.length } });
    return undefined;
  }
  if (vat !== undefined && !isValidPartitaIva(vat)) {
    problems.push({ key: 'problem.vat-invalid', params: { name, vat } });
    return undefined;
  }
  return { name, vat, status: 'pending' };
}

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, 'it', { sensitivity: 'base' }) === 0;
}
