import type { Choice, Link, PromptMessage } from '../../src/contract/messages.js';
import { LOGIN_CODE_ATTEMPTS } from '../../src/contract/login-code.js';
import { t, type CopyKey } from './copy.js';
import { REACTIVATE } from './company-order.js';
import { suggestEmail } from './email-typo.js';
import type { FlowContext, FlowSettings } from './types.js';

type Build = (context: FlowContext, settings: FlowSettings) => Omit<PromptMessage, 'kind' | 'step'>;

const choice = (context: FlowContext, id: string, style?: Choice['style']): Choice => ({
  id,
  label: t(context.locale, `choice.${id}` as CopyKey),
  ...(style ? { style } : {}),
});
const choices = (context: FlowContext, ...ids: string[]) => ids.map((id) => choice(context, id));
const say =
  (key: CopyKey, ...ids: string[]): Build =>
  (context) => ({ text: t(context.locale, key), choices: choices(context, ...ids) });
const cassaLink = (context: FlowContext, settings: FlowSettings): Link[] => [
  { label: t(context.locale, 'link.cassa-in-cloud'), url: settings.links.cassaInCloud },
];

/** The current company's name with its VAT number, as the customer typed them: once, where its steps begin. */
export function companyWithVat(context: FlowContext): string {
  const company = context.companies[context.current];
  if (!company) return '';
  return company.vat ? `${company.name} (P.IVA ${company.vat})` : company.name;
}

/** The current company's name (its VAT number was said once, at its first step). */
export function companyLabel(context: FlowContext): string {
  return context.companies[context.current]?.name ?? '';
}

/** "1 minuto", "5 minuti". */
function minutes(context: FlowContext, n: number): string {
  return n === 1 ? t(context.locale, 'unit.minute') : t(context.locale, 'unit.minutes', { n });
}

/** The customer's own address, in full: this is their own chat, and a typo must be visible to them. */
function mailbox(context: FlowContext): string {
  return context.inviteEmail
    ? t(context.locale, 'invoice.mailbox-known', { email: context.inviteEmail })
    : t(context.locale, 'invoice.mailbox-unknown');
}

function companyStep(key: CopyKey, ...ids: string[]): Build {
  return (context) => ({
    text: t(context.locale, key, { company: companyLabel(context) }),
    choices: choices(context, ...ids),
  });
}

function confirmUnlink(context: FlowContext): ReturnType<Build> {
  const company = companyLabel(context);
  const recall = context.companies.length > 1 ? `\n${t(context.locale, 'invoice.multi-recall')}` : '';
  const unlink: Choice = {
    id: 'unlink',
    label: t(context.locale, 'choice.unlink', { company: context.companies[context.current]?.name ?? '' }),
    style: 'danger',
    confirm: {
      title: t(context.locale, 'invoice.confirm-title', { company: context.companies[context.current]?.name ?? '' }),
      text: t(context.locale, 'invoice.confirm-text', { company: companyWithVat(context) }),
      yes: t(context.locale, 'invoice.confirm-yes'),
      no: t(context.locale, 'invoice.confirm-no'),
    },
  };
  return {
    text: t(context.locale, 'invoice.confirm-unlink', { company }) + recall,
    choices: [unlink, choice(context, 'skip')],
  };
}

function companyList(context: FlowContext, companies = context.companies): string {
  return companies
    .map((company, index) => `${index + 1}. ${company.name}${company.vat ? ` (P.IVA ${company.vat})` : ''}`)
    .join('\n');
}

/** After the summary, a way back to each skipped company: `reactivate-<index>`. */
function reactivateChoices(context: FlowContext): Choice[] {
  return context.companies.flatMap((company, index) =>
    company.status === 'skipped'
      ? [{ id: `${REACTIVATE}${index}`, label: t(context.locale, 'choice.reactivate', { company: company.name }) }]
      : [],
  );
}

/** Each company with its status, one per line (summary, status). */
export function companySummary(context: FlowContext): string {
  return context.companies
    .map((company) => `• ${company.name}: ${t(context.locale, `status.${company.status}` as CopyKey)}`)
    .join('\n');
}

/** Every prompt the flow can ask, by id. A step's main prompt has the step's id. */
export const prompts = {
  'tsid.intro': (context) => ({
    text:
      (context.guideChanged ? `${t(context.locale, 'tsid.guide-changed')}\n` : '') +
      (context.recordLost ? `${t(context.locale, 'tsid.record-lost')}\n` : '') +
      t(context.locale, 'tsid.intro'),
    choices: choices(context, 'yes', 'no', 'unsure'),
  }),
  'tsid.admin': say('tsid.admin', 'yes', 'no'),
  'tsid.not-admin': say('tsid.not-admin', 'admin-here', 'agent'),
  'tsid.login': (context, settings) => ({
    text: t(context.locale, 'tsid.login'),
    choices: choices(context, 'done', 'cant-login'),
    links: cassaLink(context, settings),
  }),
  'tsid.open-section': say('tsid.open-section', 'done', 'cant-find'),
  'tsid.open-section-hint': say('tsid.open-section-hint', 'done', 'cant-find'),
  'tsid.connect': (context) =>
    context.hasTsId === 'unsure'
      ? { text: t(context.locale, 'tsid.connect-unsure'), choices: choices(context, 'register', 'existing') }
      : { text: t(context.locale, 'tsid.connect'), choices: choices(context, 'done') },
  'tsid.register': say('tsid.register', 'done'),
  'tsid.sign-in-existing': say('tsid.sign-in-existing', 'done'),
  'tsid.return': say('tsid.return', 'yes', 'not-back'),
  'tsid.verify-link': (context) => ({
    text: t(context.locale, 'tsid.verify-link'),
    choices: choices(context, 'new-link', 'type-email'),
    loginLink: true,
    loginLabel: t(context.locale, 'link.login'),
  }),
  'tsid.verify-email': say('tsid.verify-email', 'email-forgot'),
  'tsid.verify-email-invalid': say('tsid.verify-email-invalid', 'email-forgot'),
  'tsid.email-forgot': say('tsid.email-forgot', 'type-email', 'ask-agent'),
  'tsid.email-typo': (context) => ({
    text: t(context.locale, 'tsid.email-typo', {
      email: context.inviteEmail ?? '',
      suggestion: suggestEmail(context.inviteEmail ?? '') ?? '',
    }),
    choices: choices(context, 'email-fix', 'email-keep'),
  }),
  'tsid.verify-code': say('tsid.verify-code', 'new-link', 'type-email'),
  'tsid.verify-code-wrong': (context) => ({
    text: t(context.locale, 'tsid.verify-code-wrong', { left: LOGIN_CODE_ATTEMPTS - (context.codeAttempts ?? 0) }),
    choices: choices(context, 'new-link', 'type-email'),
  }),
  'tsid.verify-code-void': say('tsid.verify-code-void', 'new-link', 'type-email'),
  'tsid.verify-code-expired': say('tsid.verify-code-expired', 'new-link', 'type-email'),
  'tsid.verify-unavailable': say('tsid.verify-unavailable', 'new-link', 'type-email'),
  'tsid.verify-failed': say('tsid.verify-failed', 'new-link', 'type-email'),
  'invoice.open-settings': (context, settings) => ({
    text: t(context.locale, 'invoice.open-settings'),
    choices: choices(context, 'done'),
    links: cassaLink(context, settings),
  }),
  'invoice.settings-page': say('invoice.settings-page', 'done'),
  'invoice.companies': say('invoice.companies'),
  'invoice.companies-problems': (context) => ({
    text: t(context.locale, 'invoice.companies-problems', {
      problems: context.companyProblems.map((p) => `• ${p}`).join('\n'),
    }),
  }),
  'invoice.companies-readback': (context) => ({
    text: t(context.locale, 'invoice.companies-readback', { list: companyList(context, context.draftCompanies) }),
    choices: choices(context, 'list-ok', 'list-fix'),
  }),
  'invoice.companies-retype': say('invoice.companies-retype'),
  'invoice.multi-warning': say('invoice.multi-warning', 'understood'),
  'invoice.review-data': (context) => ({
    text: `${t(context.locale, 'invoice.company-header', {
      n: context.current + 1,
      total: context.companies.length,
      company: companyWithVat(context),
    })}\n${t(context.locale, 'invoice.review-data')}`,
    choices: choices(context, 'done'),
  }),
  'invoice.confirm-unlink': confirmUnlink,
  'invoice.unlink': companyStep('invoice.unlink', 'done'),
  'invoice.relink': companyStep('invoice.relink', 'done'),
  'invoice.relink-data': companyStep('invoice.relink-data', 'done'),
  'invoice.continue': say('invoice.continue', 'done'),
  'invoice.invite': (context) => ({
    text: t(context.locale, 'invoice.invite', { mailbox: mailbox(context), company: companyLabel(context) }),
    choices: choices(context, 'accepted', 'no-email'),
  }),
  'invoice.invite-reminder': (context) => ({
    text: t(context.locale, 'invoice.invite-reminder', { mailbox: mailbox(context), company: companyLabel(context) }),
    choices: choices(context, 'accepted', 'no-email'),
  }),
  'invoice.invite-last-reminder': companyStep('invoice.invite-last-reminder', 'accepted', 'no-email'),
  'invoice.invite-spam': say('invoice.invite-spam', 'accepted', 'no-email'),
  'invoice.portal-fallback': (context, settings) => ({
    text: t(context.locale, 'invoice.portal-fallback'),
    choices: choices(context, 'done', 'still-stuck'),
    links: [{ label: t(context.locale, 'link.ts-digital'), url: settings.links.tsDigitalPortal }],
  }),
  'invoice.wait-green': companyStep('invoice.wait-green', 'green', 'not-yet'),
  'invoice.not-green-yet': (context, settings) => ({
    text: t(context.locale, 'invoice.not-green-yet', {
      minutes: minutes(context, Math.max(1, Math.round(settings.greenCheckMs / 60_000))),
    }),
    choices: choices(context, 'green', 'not-yet'),
  }),
  'invoice.green-check': companyStep('invoice.green-check', 'green', 'not-yet'),
  'invoice.done': (context) => {
    const text = t(context.locale, 'invoice.done', { summary: companySummary(context) });
    const skipped = reactivateChoices(context);
    return skipped.length === 0
      ? { text }
      : { text: `${text}\n${t(context.locale, 'invoice.done-skipped')}`, choices: skipped };
  },
  'global.offer-agent': say('global.offer-agent', 'agent-yes', 'agent-no'),
  'global.restart-confirm': say('global.restart-confirm', 'restart-yes', 'restart-no'),
  'global.stopped': say('global.stopped', 'resume', 'restart'),
  'global.erase-confirm': say('global.erase-confirm', 'erase-yes', 'erase-no'),
  'handoff.requested': say('handoff.requested'),
  'handoff.timeout': say('handoff.timeout', 'resume'),
} satisfies Record<string, Build>;

export type PromptId = keyof typeof prompts;

/** Builds a prompt message for the conversation's current step. */
export function buildPrompt(id: PromptId, context: FlowContext, settings: FlowSettings): PromptMessage {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (the rule misreads the contextual type)
  const { choices: built, ...rest } = (prompts[id] as Build)(context, settings);
  return {
    kind: 'prompt',
    step: context.step,
    locale: context.locale,
    ...rest,
    ...(built && built.length > 0 ? { choices: built } : {}),
  };
}

/** A one-off sentence (no choices) at the current step. */
export function buildNotice(
  key: CopyKey,
  context: FlowContext,
  params: Record<string, string | number> = {},
): PromptMessage {
  return { kind: 'prompt', step: context.step, locale: context.locale, text: t(context.locale, key, params) };
}
