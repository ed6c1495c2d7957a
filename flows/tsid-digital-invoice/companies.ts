import { truncateText } from '../../src/contract/text-hygiene.js';
import { isAnswerWord } from './interpret.js';
import { asciiForm, findPartitaIva, isValidPartitaIva } from './partita-iva.js';
import { isEmailAddress } from './setup.js';
import type { Company } from './types.js';
import type { CopyKey, CopyParams } from './copy.js';

export const MAX_COMPANIES = 20;
export const MAX_NAME_LENGTH = 80;
export const MAX_LIST_LENGTH = 2000;

export { isValidPartitaIva };

export interface CompanyProblem {
  key: CopyKey;
  params: CopyParams;
}

export interface ParsedCompanies {
  companies: Company[];
  problems: CompanyProblem[];
}

// An HTML entity's `;` (`&lt;`, `&#60;`: what a customer typed, as Slack shows it) does not end a company.
const SEPARATORS = /(?:[\n,]|(?<!&(?:[a-z]{2,8}|#\d{1,7}|#x[\da-f]{1,6}));)+/i;

/**
 * Reads the list a customer typed: one company per line or comma-separated, each a name
 * with an optional Partita IVA at the end. Invalid entries are reported, never dropped.
 */
export function parseCompanies(text: string): ParsedCompanies {
  if (text.length > MAX_LIST_LENGTH) {
    return { companies: [], problems: [{ key: 'problem.too-long', params: { max: MAX_LIST_LENGTH } }] };
  }
  const entries = text
    .split(SEPARATORS)
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
  const line = asciiForm(entry);
  const found = findPartitaIva(line);
  const name = (found ? found.before : line).replace(/[\s:(\-–]+$/, '').trim();
  const vat = found?.vat;
  if (!name) {
    problems.push({ key: 'problem.name-missing', params: { vat: vat ?? '' } });
    return undefined;
  }
  if (name.length > MAX_NAME_LENGTH) {
    problems.push({ key: 'problem.name-too-long', params: { max: MAX_NAME_LENGTH, name: truncateText(name, 30) } });
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
  return found ? vatChecked(name, found.vat, found.after, problems) : { name, status: 'pending' };
}

/** A number that looks like a VAT number is one, or a problem: it never joins the name. */
function vatChecked(name: string, vat: string, after: 'nothing' | 'letters' | 'text', problems: CompanyProblem[]) {
  if (after === 'text') {
    problems.push({ key: 'problem.vat-not-last', params: { name } });
    return undefined;
  }
  if (after === 'nothing' && vat.length !== 11) {
    problems.push({ key: 'problem.vat-length', params: { name, digits: vat.length } });
    return undefined;
  }
  if (!isValidPartitaIva(vat)) {
    problems.push({ key: 'problem.vat-invalid', params: { name, vat } });
    return undefined;
  }
  const company: Company = { name, vat, status: 'pending' };
  return company;
}

/** Built once: `localeCompare` with a locale builds a collator on every call. */
const names = new Intl.Collator('it', { sensitivity: 'base' });

function sameName(a: string, b: string): boolean {
  return names.compare(a, b) === 0;
}
