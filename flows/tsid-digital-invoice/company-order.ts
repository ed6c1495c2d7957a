import type { FlowContext } from './types.js';

/** The id prefix of the summary's "reactivate this skipped company" choices. */
export const REACTIVATE = 'reactivate-';

/** The company a summary's "reactivate" choice names (`reactivate-<index>`); undefined for any other event. */
export function reactivatedIndex(event: { type: string; choiceId?: string }): number | undefined {
  const match = event.type === 'user.choice' ? new RegExp(`^${REACTIVATE}(\\d+)$`).exec(event.choiceId ?? '') : null;
  return match ? Number(match[1]) : undefined;
}

type Companies = Pick<FlowContext, 'companies' | 'current'>;

/** A company whose guide is over: active, or skipped by the customer. */
const finished = (status: string) => status === 'active' || status === 'skipped';

/** The next company after the current one the customer has not finished; undefined: none left. */
export function nextOpenCompany({ companies, current }: Companies): number | undefined {
  const index = companies.findIndex((company, at) => at > current && !finished(company.status));
  return index < 0 ? undefined : index;
}

/**
 * Where a resumed guide (an agent's hand-back) takes up the companies: the current one unless
 * it is active, else the first not finished, else the first skipped. Never an active one:
 * nothing but the customer's own new answer rewrites a company's final state.
 */
export function resumableCompany({ companies, current }: Companies): number | undefined {
  if (companies[current] && companies[current].status !== 'active') return current;
  const open = companies.findIndex((company) => !finished(company.status));
  if (open >= 0) return open;
  const skipped = companies.findIndex((company) => company.status === 'skipped');
  return skipped < 0 ? undefined : skipped;
}

/** The company an agent picked for a hand-back, when it is one the customer has not made active. */
export function pickedCompany(companies: FlowContext['companies'], index: number | undefined): number | undefined {
  return index !== undefined && companies[index] && companies[index].status !== 'active' ? index : undefined;
}
