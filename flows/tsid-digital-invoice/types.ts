import type { Choice, CompanyStatus, HandoffSummary, HashedLoginCode, Locale } from '../../src/contract/messages.js';
import type { StepId } from './steps.js';
import type { PromptId } from './prompts.js';

export interface Company {
  name: string;
  /** Partita IVA, 11 digits, check digit verified. */
  vat?: string;
  status: CompanyStatus;
}

export interface Identity {
  issuer: string;
  subject: string;
  email: string;
  emailVerified: boolean;
}

/** Deployment settings, closed over by the machine (not stored in conversations). */
export interface FlowSettings {
  links: { cassaInCloud: string; tsDigitalPortal: string };
  /** Delays of the reminders while an invite e-mail is pending (INVITE_REMINDERS). */
  inviteRemindersMs: number[];
  /** When the customer says the chain is not green yet, check back after this long. */
  greenCheckMs: number;
  /** Nobody took a hand-off within this long: the customer is told and may go on (HANDOFF_TIMEOUT). */
  handoffTimeoutMs: number;
  /** OIDC login links available (OIDC_ISSUER set); otherwise the e-mail is typed. */
  loginEnabled: boolean;
}

export interface FlowContext {
  locale: Locale;
  /** Where the customer is, as a STEPS.md id. */
  step: StepId;
  /** Which of the step's actions is asked now (0: the first), for a step the chat takes one action at a time. */
  stage: number;
  /** The prompt last asked: repeated after status/help, re-rendered after a language switch. */
  prompt: PromptId;
  /** The choices of that prompt: typed answers are matched against them. */
  offered: Choice[];
  hasTsId: 'yes' | 'no' | 'unsure';
  identity?: Identity;
  /** A sign-in waiting for the customer to confirm it is theirs. */
  pendingIdentity?: Identity;
  /** The one-time code of that sign-in (hashed), and the wrong tries at it so far. */
  pendingCode?: HashedLoginCode;
  codeAttempts?: number;
  /** Where the TS Digital invite goes: a verified or typed e-mail. */
  inviteEmail?: string;
  companies: Company[];
  /** A parsed list waiting for the customer's confirmation. */
  draftCompanies: Company[];
  /** Problems found in the last list the customer typed. */
  companyProblems: string[];
  current: number;
  misses: number;
  /** Times "I can't find it" / "not yet" was answered at the current step. */
  retries: number;
  remindersSent: number;
  reminderSeq: number;
  pendingReminder?: string;
  /** The customer's last typed messages, for a hand-off summary. */
  recentTexts: string[];
  handoffReason?: HandoffSummary['reason'];
  agentName?: string;
  /** Where a start request or an agent's hand-back wants the customer. */
  resumeStep?: string;
  /** The guide changed under a stored conversation: say so once. */
  guideChanged: boolean;
  /** The conversation's record was lost while the customer was mid-guide: say so once. */
  recordLost: boolean;
}

export interface FlowInput {
  locale?: Locale;
  step?: string;
  guideChanged?: boolean;
  recordLost?: boolean;
}
