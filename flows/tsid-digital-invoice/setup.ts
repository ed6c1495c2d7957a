import { assign, emit, enqueueActions, setup } from 'xstate';
import type { CompanyStatus, FlowEffect, HandoffSummary, InboundEvent } from '../../src/contract/messages.js';
import { t, type CopyKey } from './copy.js';
import { buildNotice, buildPrompt, companyLabel, type PromptId } from './prompts.js';
import { stamped } from './stamp.js';
import { stepTitle } from './status.js';
import { maskPersonalData } from '../../src/contract/privacy.js';
import { truncateText } from '../../src/contract/text-hygiene.js';
import { subjectHash } from '../../src/contract/audit.js';
import { codeIn, LOGIN_CODE_ATTEMPTS, matchesLoginCode } from '../../src/contract/login-code.js';
import { handoffSummary, statusText } from './status.js';
import { nextOpenCompany, reactivatedIndex, resumableCompany } from './company-order.js';
import { suggestEmail } from './email-typo.js';
import { looksLikeQuestion } from './interpret.js';
import { COMPANY_STEPS, isStepId, type StepId } from './steps.js';
import type { FlowContext, FlowInput, FlowSettings } from './types.js';

/** What the flow reacts to: the engine's events, and an answer `interpret` found to be meant for an earlier question. */
export type FlowEvent =
  | InboundEvent
  /** A click on an older question's button. */
  | { type: 'user.out-of-step' }
  /** Only politeness ("grazie", "ok grazie"): acknowledged, nothing moves on. */
  | { type: 'user.thanks' };

const RECENT_TEXTS = 5;
const NO_PENDING = { pendingIdentity: undefined, pendingCode: undefined, codeAttempts: undefined };
const MISSES_BEFORE_OFFER = 2;

const message = (m: FlowEffect & { type: 'message' }) => m;

/** A plausible e-mail address (the portal validates it for real). */
export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)*\.[a-z]{2,}$/i.test(text);
}

export function initialContext(input: FlowInput): FlowContext {
  return {
    locale: input.locale ?? 'it',
    step: 'tsid.intro',
    stage: 0,
    prompt: 'tsid.intro',
    offered: [],
    hasTsId: 'no',
    companies: [],
    draftCompanies: [],
    companyProblems: [],
    current: 0,
    misses: 0,
    retries: 0,
    remindersSent: 0,
    reminderSeq: 0,
    recentTexts: [],
    resumeStep: input.step,
    guideChanged: input.guideChanged ?? false,
    recordLost: input.recordLost ?? false,
  };
}

/** The flow's vocabulary: every action and guard by name, with the deployment's settings closed over. */
export function flowSetup(settings: FlowSettings) {
  return setup({
    types: {
      context: {} as FlowContext,
      events: {} as FlowEvent,
      emitted: {} as FlowEffect,
      input: {},
    },
    actions: {
      /**
       * Ask the customer something: remembers the prompt so it can be repeated or re-rendered.
       * With `step` it first enters that step (as enterStep does); with `stage`, a later action of
       * the same step (another question, so a click on the previous one is out of step). Both in
       * the same assign as the question: each XState assign copies the whole context and snapshot.
       */
      ask: enqueueActions(({ context, enqueue }, params: { prompt: PromptId; step?: StepId; stage?: number }) => {
        const entered = params.step
          ? { step: params.step, stage: 0, retries: 0, misses: 0, guideChanged: false }
          : params.stage !== undefined
            ? { stage: params.stage, retries: 0, misses: 0 }
            : undefined;
        const asked = entered ? { ...context, ...entered } : context;
        const built = buildPrompt(params.prompt, asked, settings);
        // The lost-record sentence goes with the first question only.
        enqueue.assign({ ...entered, prompt: params.prompt, offered: built.choices ?? [], recordLost: false });
        enqueue.emit(message({ type: 'message', message: stamped(built, asked) }));
      }),
      /** A pending invite: remind, arm the next reminder; after the last one point at the portal fallback. */
      remindOfInvite: enqueueActions(({ context, enqueue }) => {
        const sent = context.remindersSent + 1;
        const nextDelay = settings.inviteRemindersMs[sent];
        const prompt: PromptId = nextDelay === undefined ? 'invoice.invite-last-reminder' : 'invoice.invite-reminder';
        const built = buildPrompt(prompt, context, settings);
        const reminderId = `invite-${context.reminderSeq + 1}`;
        enqueue.assign({ remindersSent: sent, prompt, offered: built.choices ?? [], pendingReminder: undefined });
        enqueue.emit(message({ type: 'message', message: stamped(built, context) }));
        if (nextDelay === undefined) return;
        enqueue.assign({ reminderSeq: context.reminderSeq + 1, pendingReminder: reminderId });
        enqueue.emit({ type: 'reminder.schedule', reminderId, delayMs: nextDelay });
      }),
      /** Say something that needs no answer. */
      notice: enqueueActions(({ context, enqueue }, params: { key: CopyKey }) => {
        const values = {
          email: context.inviteEmail ?? '', // their own address, in full, in their own chat
          company: companyLabel(context),
          agent: context.agentName ?? '',
        };
        enqueue.emit(message({ type: 'message', message: buildNotice(params.key, context, values) }));
      }),
      /** Asks the last prompt again, in the current language. */
      repeatPrompt: enqueueActions(({ context, enqueue }) => {
        const built = buildPrompt(context.prompt, context, settings);
        enqueue.assign({ offered: built.choices ?? [] });
        enqueue.emit(message({ type: 'message', message: stamped(built, context) }));
      }),
      eraseData: emit({ type: 'data.erase' } as const),
      /** A finished sign-in waits here (newest wins) until the customer types its one-time code. */
      holdIdentity: assign(({ event }) =>
        event.type === 'auth.completed'
          ? {
              pendingIdentity: {
                issuer: event.issuer,
                subject: event.subject,
                email: event.email,
                emailVerified: event.emailVerified,
              },
              pendingCode: event.code,
              codeAttempts: 0,
            }
          : {},
      ),
      /** The code was right: the identity is this conversation's; a verified e-mail is where the invite goes. */
      bindIdentity: assign(({ context }) => ({
        identity: context.pendingIdentity,
        ...(context.pendingIdentity?.emailVerified ? { inviteEmail: context.pendingIdentity.email } : {}),
        ...NO_PENDING,
      })),
      dropIdentity: assign(NO_PENDING),
      /** In the customer's own chat the whole address, so it can be recognised (masked in hand-offs and logs). */
      sayVerified: enqueueActions(({ context, enqueue }) => {
        const key = context.identity?.emailVerified ? 'tsid.verified' : 'tsid.verified-no-email';
        enqueue.emit(
          message({ type: 'message', message: buildNotice(key, context, { address: context.identity?.email ?? '' }) }),
        );
      }),
      auditBinding: emit(({ context }) => ({
        type: 'audit' as const,
        entry: {
          event: 'identity.bound' as const,
          subject: subjectHash(context.pendingIdentity?.issuer ?? '', context.pendingIdentity?.subject ?? ''),
          codeConfirmed: true,
        },
      })),
      countCodeAttempt: assign(({ context }) => ({ codeAttempts: (context.codeAttempts ?? 0) + 1 })),
      enterStep: assign((_, params: { step: StepId }) => ({
        step: params.step,
        stage: 0,
        retries: 0,
        misses: 0,
        guideChanged: false,
      })),
      hint: enqueueActions(({ context, enqueue }) => {
        const options = context.offered.map((choice, index) => `${index + 1}) ${choice.label}`).join(' / ');
        enqueue.assign({ misses: context.misses + 1 });
        const text = options ? t(context.locale, 'global.hint', { options }) : t(context.locale, 'global.help');
        enqueue.emit(
          message({
            type: 'message',
            message: stamped(
              { kind: 'prompt', step: context.step, locale: context.locale, text, choices: context.offered },
              context,
            ),
          }),
        );
      }),
      /** An answer meant for an earlier question: say where we are (the prompt follows). */
      sayOutOfStep: enqueueActions(({ context, enqueue }) => {
        enqueue.emit(
          message({
            type: 'message',
            message: buildNotice('global.out-of-step', context, { step: stepTitle(context) }),
          }),
        );
      }),
      sayStatus: enqueueActions(({ context, enqueue }) => {
        enqueue.emit(
          message({
            type: 'message',
            message: { kind: 'prompt', step: context.step, locale: context.locale, text: statusText(context) },
          }),
        );
      }),
      noteTypedEmail: assign(({ event }) => (event.type === 'user.text' ? { inviteEmail: event.text.trim() } : {})),
      setLocale: assign(({ event }) => (event.type === 'cmd.language' ? { locale: event.locale } : {})),
      remember: assign(({ context, event }) => {
        const text = event.type === 'user.text' || event.type === 'user.choice' ? event.text : undefined;
        // Kept for a hand-off summary, which a whole helpdesk channel reads: e-mails and VAT numbers masked.
        return text
          ? { recentTexts: [...context.recentTexts, maskPersonalData(truncateText(text, 500))].slice(-RECENT_TEXTS) }
          : {};
      }),
      retry: assign(({ context }) => ({ retries: context.retries + 1 })),
      setCompanyStatus: assign(({ context }, params: { status: CompanyStatus }) => ({
        companies: context.companies.map((company, index) =>
          index === context.current ? { ...company, status: params.status } : company,
        ),
      })),
      /** Arms a reminder; its id is unique per visit, so a stale one is recognised. */
      scheduleReminder: enqueueActions(({ context, enqueue }, params: { name: string; delayMs: number }) => {
        const reminderId = `${params.name}-${context.reminderSeq + 1}`;
        enqueue.assign({ reminderSeq: context.reminderSeq + 1, pendingReminder: reminderId });
        enqueue.emit({ type: 'reminder.schedule', reminderId, delayMs: params.delayMs });
      }),
      cancelReminder: enqueueActions(({ context, enqueue }) => {
        if (!context.pendingReminder) return;
        enqueue.emit({ type: 'reminder.cancel', reminderId: context.pendingReminder });
        enqueue.assign({ pendingReminder: undefined });
      }),
      /** Asks the helpdesk for a person; the reason defaults to the one an agent offer recorded. */
      requestHandoff: enqueueActions(({ context, enqueue }, params?: { reason: HandoffSummary['reason'] }) => {
        const reason = params?.reason ?? context.handoffReason ?? 'customer-asked';
        enqueue.assign({ handoffReason: reason });
        enqueue.emit(
          message({ type: 'message', message: { kind: 'handoff.request', summary: handoffSummary(context, reason) } }),
        );
      }),
      relayToAgent: enqueueActions(({ event, enqueue }) => {
        const text = event.type === 'user.text' || event.type === 'user.choice' ? event.text : undefined;
        if (text) enqueue.emit(message({ type: 'message', message: { kind: 'handoff.relay', text } }));
      }),
      relayToCustomer: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'agent.text') return;
        enqueue.emit(
          message({
            type: 'message',
            message: {
              kind: 'agent.text',
              agentName: event.agentName,
              text: event.text,
              locale: context.locale,
            },
          }),
        );
      }),
      /** Resuming (a hand-back, a newer guide): a company not yet active, never one the customer finished. */
      clampCurrent: assign(({ context }) => ({
        current: resumableCompany(context) ?? Math.max(0, Math.min(context.current, context.companies.length - 1)),
      })),
      clearResumeStep: assign({ resumeStep: undefined }),
      forgetEverything: assign(({ context }) => ({
        ...initialContext({ locale: context.locale }),
        reminderSeq: context.reminderSeq,
      })),
      rejectHandback: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'agent.handback') return;
        const reason = !isStepId(event.step)
          ? 'unknown-step'
          : context.companies.length > 0
            ? 'all-companies-active'
            : 'no-companies';
        enqueue.emit(message({ type: 'message', message: { kind: 'handoff.rejected', step: event.step, reason } }));
      }),
    },
    guards: {
      // Guard params are read through a cast: typed params here break enqueueActions' inference (xstate 5.33).
      choice: ({ event }, params: unknown) =>
        event.type === 'user.choice' && event.choiceId === (params as { id: string }).id,
      reminderIsPending: ({ context, event }) =>
        event.type === 'reminder.due' && event.reminderId === context.pendingReminder,
      missedTwice: ({ context }) => context.misses >= MISSES_BEFORE_OFFER,
      retriedOnce: ({ context }) => context.retries >= 1,
      retriedTwice: ({ context }) => context.retries >= 2,
      hasTsId: ({ context }) => context.hasTsId === 'yes',
      unsureOfTsId: ({ context }) => context.hasTsId === 'unsure',
      loginEnabled: () => settings.loginEnabled,
      hasResumeStep: ({ context }) => context.resumeStep !== undefined,
      resumeAt: ({ context }, params: unknown) => context.resumeStep === (params as { step: StepId }).step,
      canResumeAt: ({ context, event }) => {
        const step = event.type === 'agent.handback' || event.type === 'session.start' ? event.step : undefined;
        if (!step || !isStepId(step)) return false;
        return !COMPANY_STEPS.includes(step) || resumableCompany(context) !== undefined;
      },
      codeMatches: ({ context, event }) =>
        event.type === 'user.text' && matchesLoginCode(event.text, context.pendingCode),
      looksLikeCode: ({ event }) => event.type === 'user.text' && codeIn(event.text) !== undefined,
      /** A wrong code that uses up the last try (a text that is no code at all is no try). */
      lastCodeAttempt: ({ context, event }) =>
        event.type === 'user.text' &&
        codeIn(event.text) !== undefined &&
        (context.codeAttempts ?? 0) + 1 >= LOGIN_CODE_ATTEMPTS,
      looksLikeEmail: ({ event }) => event.type === 'user.text' && isEmailAddress(event.text.trim()),
      reactivatePicked: ({ context, event }) => context.companies[reactivatedIndex(event) ?? -1]?.status === 'skipped',
      emailHasTypo: ({ event }) => event.type === 'user.text' && suggestEmail(event.text.trim()) !== undefined,
      looksLikeQuestion: ({ event }) => event.type === 'user.text' && looksLikeQuestion(event.text),
      atSummary: ({ context }) => context.step === 'invoice.done',
      hasMoreCompanies: ({ context }) => nextOpenCompany(context) !== undefined,
      moreThanOneCompany: ({ context }) => context.draftCompanies.length > 1,
    },
  });
}

export type FlowSetup = ReturnType<typeof flowSetup>;
