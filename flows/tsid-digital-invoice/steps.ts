/** The step ids of shared/guide/STEPS.md, in guide order. Stable: agents, metrics and transcripts use them. */
export const STEP_IDS = [
  'tsid.intro',
  'tsid.admin',
  'tsid.login',
  'tsid.open-section',
  'tsid.connect',
  'tsid.register',
  'tsid.sign-in-existing',
  'tsid.return',
  'tsid.verify',
  'invoice.open-settings',
  'invoice.companies',
  'invoice.multi-warning',
  'invoice.review-data',
  'invoice.confirm-unlink',
  'invoice.unlink',
  'invoice.relink',
  'invoice.continue',
  'invoice.invite',
  'invoice.portal-fallback',
  'invoice.wait-green',
  'invoice.done',
] as const;

export type StepId = (typeof STEP_IDS)[number];

/** Steps that act on one company (review-data to wait-green): resuming at them needs a company in hand. */
export const COMPANY_STEPS: readonly StepId[] = STEP_IDS.slice(
  STEP_IDS.indexOf('invoice.review-data'),
  STEP_IDS.indexOf('invoice.wait-green') + 1,
);

export function isStepId(value: string): value is StepId {
  return (STEP_IDS as readonly string[]).includes(value);
}
