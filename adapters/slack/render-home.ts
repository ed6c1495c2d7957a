import type { types } from '@slack/bolt';
import type { Locale, StatusView } from '../../src/engine/index.js';
import { plain } from './render-blocks.js';
import { fit, SLACK_LIMITS as LIMITS } from './slack-limits.js';

/** The App Home's own words (the flow localises the step and the statuses). */
const copy = {
  it: {
    title: 'Guida TS ID e Fattura Digitale',
    where: 'Dove sei',
    companies: 'Aziende',
    noCompanies: 'Nessuna azienda ancora.',
    more: (n: number) => `…e altre ${n}.`,
    notStarted: 'Non hai ancora iniziato la guida. Scrivimi nella scheda Messaggi oppure usa /tsid start.',
    vat: 'P. IVA',
  },
  en: {
    title: 'TS ID and Digital Invoice guide',
    where: 'Where you are',
    companies: 'Companies',
    noCompanies: 'No companies yet.',
    more: (n: number) => `…and ${n} more.`,
    notStarted: "You haven't started the guide yet. Write to me in the Messages tab or use /tsid start.",
    vat: 'VAT',
  },
} as const;

// A Home view holds at most 100 blocks (slack-limits.ts); header, step, divider, heading
// and the "…and N more" line take 5.
const MAX_COMPANIES = LIMITS.blocksPerView - 10;

/**
 * The App Home tab: where the customer is in the guide and each company's status.
 * Every text is `plain_text`, so a company name stays inert. `status` undefined: not started.
 */
export function renderHome(status: StatusView | undefined, locale: Locale): types.HomeView {
  const words = copy[status?.locale ?? locale];
  const blocks: types.KnownBlock[] = [{ type: 'header', text: plain(fit(words.title, LIMITS.headerText)) }];
  if (!status) {
    blocks.push({ type: 'section', text: plain(words.notStarted) });
    return { type: 'home', blocks };
  }
  blocks.push(
    { type: 'section', fields: [plain(words.where), plain(fit(status.stepTitle, LIMITS.fieldText))] },
    { type: 'divider' },
    { type: 'section', text: plain(words.companies) },
  );
  if (status.companies.length === 0) blocks.push({ type: 'context', elements: [plain(words.noCompanies)] });
  for (const company of status.companies.slice(0, MAX_COMPANIES)) {
    const name = company.vat ? `${company.name} (${words.vat} ${company.vat})` : company.name;
    blocks.push({
      type: 'section',
      fields: [plain(fit(name, LIMITS.fieldText)), plain(fit(company.statusLabel, LIMITS.fieldText))],
    });
  }
  const hidden = status.companies.length - MAX_COMPANIES;
  if (hidden > 0) blocks.push({ type: 'context', elements: [plain(words.more(hidden))] });
  return { type: 'home', blocks };
}
