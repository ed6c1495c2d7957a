import type { HandoffSummary, StatusView } from '../../src/contract/messages.js';
import { t, type CopyKey } from './copy.js';
import { companySummary } from './prompts.js';
import type { FlowContext } from './types.js';

export const stepTitle = (context: FlowContext) => t(context.locale, `step.${context.step}` as CopyKey);

/** "Where am I": the step, the TS ID, each company and its status. */
export function statusText(context: FlowContext): string {
  return t(context.locale, 'global.status', {
    step: stepTitle(context),
    tsid: t(context.locale, context.step.startsWith('invoice.') ? 'global.tsid-done' : 'global.tsid-pending'),
    companies:
      context.companies.length > 0 ? companySummary(context) : `• ${t(context.locale, 'global.status-no-companies')}`,
  });
}

export function statusView(context: FlowContext): StatusView {
  return {
    locale: context.locale,
    step: context.step,
    stepTitle: stepTitle(context),
    companies: context.companies.map((company) => ({
      ...company,
      statusLabel: t(context.locale, `status.${company.status}` as CopyKey),
    })),
  };
}

export function handoffSummary(context: FlowContext, reason: HandoffSummary['reason']): HandoffSummary {
  return {
    reason,
    step: context.step,
    locale: context.locale,
    companies: context.companies.map(({ name, vat, status }) => ({ name, ...(vat ? { vat } : {}), status })),
    ...(context.inviteEmail ? { email: context.inviteEmail } : {}),
    lastMessages: context.recentTexts,
  };
}
