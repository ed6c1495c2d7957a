import { maskEmail, maskVat, type ConversationKey, type HandoffSummary, type StatusView } from '../engine/index.js';
import type { HandoffCardBase, HandoffRecord } from './handoff-store.js';
import type { HandoffCard } from './helpdesk-port.js';

const PLATFORM_NAMES: Record<ConversationKey['channel'], string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  local: 'local chat',
};
/** Bounds, so one post stays readable and within Slack's and Teams' limits. */
const LAST_MESSAGES = 5;
const MESSAGE_MAX = 300;
const COMPANIES_MAX = 20;

/** The title every helpdesk rendering starts with (the transcripts look for it). */
export function handoffTitle(summary: Pick<HandoffSummary, 'reason' | 'step'>): string {
  return `hand-off requested (${summary.reason}) at ${summary.step}`;
}

/**
 * What a hand-off post shows, built once when it is requested. Personal data is masked
 * here (e-mail, VAT numbers); everything else customer-typed is left as typed and
 * rendered inert by the adapter.
 */
export function cardBase(key: ConversationKey, summary: HandoffSummary, status?: StatusView): HandoffCardBase {
  const stepTitle = status?.step === summary.step ? ` (${status.stepTitle})` : '';
  const facts = [
    { label: 'Customer', value: `${key.user} (${PLATFORM_NAMES[key.channel]}, ${key.tenant})` },
    { label: 'Language', value: summary.locale },
    { label: 'Reason', value: summary.reason },
    { label: 'Step', value: `${summary.step}${stepTitle}` },
  ];
  if (summary.email) facts.push({ label: 'E-mail', value: maskEmail(summary.email) });
  summary.companies.slice(0, COMPANIES_MAX).forEach((company, index) => {
    const label = status?.companies.find((c) => c.name === company.name)?.statusLabel;
    const vat = company.vat ? ` ${maskVat(company.vat)}` : '';
    facts.push({
      label: `Company ${index + 1}`,
      value: `${company.name}${vat}: ${company.status}${label ? ` (${label})` : ''}`,
    });
  });
  if (summary.companies.length > COMPANIES_MAX)
    facts.push({ label: 'Companies', value: `${summary.companies.length - COMPANIES_MAX} more` });
  const lastMessages = summary.lastMessages.slice(-LAST_MESSAGES).map((text) => clip(text, MESSAGE_MAX));
  const companies = summary.companies
    .slice(0, COMPANIES_MAX)
    .map((company) => ({ name: clip(company.name, 40), active: company.status === 'active' }));
  return { title: handoffTitle(summary), facts, lastMessages, ...(companies.length ? { companies } : {}) };
}

/**
 * The hand-back choices: every step, and after the first company step one `<step>#<index>`
 * per company not active yet, when there are several of them for the agent to pick from.
 */
export function handBackChoices(
  base: HandoffCardBase,
  steps: readonly string[],
  companySteps: readonly string[] = [],
): Pick<HandoffCard, 'steps' | 'stepLabels'> {
  const first = steps.find((step) => companySteps.includes(step));
  const open = (base.companies ?? []).flatMap((company, index) => (company.active ? [] : [{ ...company, index }]));
  if (!first || open.length < 2) return { steps };
  const picks = open.map(({ index }) => `${first}#${index}`);
  const at = steps.indexOf(first) + 1;
  return {
    steps: [...steps.slice(0, at), ...picks, ...steps.slice(at)],
    stepLabels: Object.fromEntries(open.map(({ name, index }) => [`${first}#${index}`, `${first} · ${name}`])),
  };
}

/** A hand-back choice read back: the step id, and the company index when one was picked. */
export function readHandBack(value: string): { step: string; company?: number } {
  const match = /^(.+)#(\d{1,3})$/.exec(value);
  return match ? { step: match[1], company: Number(match[2]) } : { step: value };
}

/** The card as it reads now: the stored base plus status and buttons from the record. */
export function cardOf(record: HandoffRecord, steps: readonly string[], companySteps?: readonly string[]): HandoffCard {
  const open = record.state === 'open';
  const { companies: _companies, ...card } = record.card;
  return {
    ...card,
    status: statusLine(record),
    canTake: open && !record.owner,
    open,
    ...handBackChoices(record.card, steps, companySteps),
  };
}

function statusLine(record: HandoffRecord): string {
  if (record.state === 'resumed')
    return `Handed back to ${record.outcome?.step ?? '?'} by ${record.outcome?.by ?? '?'}.`;
  if (record.state === 'closed')
    return record.outcome?.by === 'a newer request'
      ? 'Replaced by a newer request from this customer.'
      : `Closed by ${record.outcome?.by ?? '?'}.`;
  if (record.owner) return `Taken by ${record.owner.name}.`;
  return 'Waiting for an agent.';
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
