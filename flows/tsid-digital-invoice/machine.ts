import { assign } from 'xstate';
import { ask, handOff, notice, picked, remindIn } from './dsl.js';
import { pickedCompany } from './company-order.js';
import { partA } from './part-a.js';
import { partB } from './part-b.js';
import { flowSetup, initialContext, type FlowSetup } from './setup.js';
import { STEP_IDS, type StepId } from './steps.js';
import type { FlowSettings } from './types.js';

/** Where each step id lives in the chart: resume and hand-back go there. */
export const STEP_TARGETS: Record<StepId, string> = {
  'tsid.intro': '#guide.partA.intro',
  'tsid.admin': '#guide.partA.admin',
  'tsid.login': '#guide.partA.login',
  'tsid.open-section': '#guide.partA.openSection',
  'tsid.connect': '#guide.partA.connect',
  'tsid.register': '#guide.partA.register',
  'tsid.sign-in-existing': '#guide.partA.signInExisting',
  'tsid.return': '#guide.partA.return',
  'tsid.verify': '#guide.partA.verify',
  'invoice.open-settings': '#guide.partB.openSettings',
  'invoice.companies': '#guide.partB.companies',
  'invoice.multi-warning': '#guide.partB.multiWarning',
  'invoice.review-data': '#guide.partB.company.reviewData',
  'invoice.confirm-unlink': '#guide.partB.company.confirmUnlink',
  'invoice.unlink': '#guide.partB.company.unlink',
  'invoice.relink': '#guide.partB.company.relink',
  'invoice.continue': '#guide.partB.company.continue',
  'invoice.invite': '#guide.partB.company.invite',
  'invoice.portal-fallback': '#guide.partB.company.portalFallback',
  'invoice.wait-green': '#guide.partB.company.waitGreen',
  'invoice.done': '#guide.partB.done',
};

function resumeTransitions() {
  return [
    ...STEP_IDS.map((step) => ({
      guard: { type: 'resumeAt' as const, params: { step } },
      target: STEP_TARGETS[step],
      actions: ['clampCurrent' as const, 'clearResumeStep' as const],
    })),
    { target: '#guide', actions: 'clearResumeStep' as const },
  ];
}

function handoffState(flow: FlowSetup, settings: FlowSettings) {
  return flow.createStateConfig({
    initial: 'waiting',
    on: {
      // While an agent has the customer the bot says nothing of its own.
      'user.text': { actions: 'relayToAgent' },
      'user.choice': { actions: 'relayToAgent' },
      'cmd.agent': {},
      'cmd.status': {},
      'cmd.help': {},
      'cmd.restart': {},
      'cmd.stop': {},
      'cmd.erase': {},
      'cmd.language': { actions: 'setLocale' },
      'session.start': {},
    },
    states: {
      waiting: {
        entry: [ask('handoff.requested'), remindIn('handoff', settings.handoffTimeoutMs)],
        exit: 'cancelReminder',
        on: {
          'reminder.due': { guard: 'reminderIsPending', target: 'timedOut' },
          'agent.timeout': 'timedOut',
        },
      },
      active: {},
      timedOut: {
        entry: ask('handoff.timeout'),
        on: { 'user.choice': { guard: picked('resume'), target: '#guideHistory' } },
      },
    },
  });
}

/** The guide as a statechart. Regions: `main` (the conversation) and `memory` (recent texts for hand-offs). */
export function createTsidMachine(settings: FlowSettings) {
  const flow = flowSetup(settings);
  return flow.createMachine({
    id: 'flow',
    type: 'parallel',
    context: ({ input }) => initialContext(input),
    states: {
      memory: {
        on: { 'user.text': { actions: 'remember' }, 'user.choice': { actions: 'remember' } },
      },
      main: {
        initial: 'starting',
        on: {
          'cmd.status': { actions: ['sayStatus', 'repeatPrompt'] },
          'cmd.help': { actions: [notice('global.help'), 'repeatPrompt'] },
          'cmd.language': { actions: ['setLocale', notice('global.language'), 'repeatPrompt'] },
          'cmd.agent': { target: '.handoff', actions: handOff('customer-asked') },
          'cmd.restart': '.confirmRestart',
          'cmd.stop': '.stopped',
          'cmd.erase': '.confirmErase',
          'session.start': [
            { guard: 'canResumeAt', target: '.resume', actions: assign(({ event }) => ({ resumeStep: event.step })) },
            { actions: 'repeatPrompt' },
          ],
          'user.out-of-step': { actions: ['sayOutOfStep', 'repeatPrompt'] },
          'user.thanks': [
            { guard: 'atSummary', actions: notice('global.thanks-done') },
            { actions: [notice('global.thanks'), 'repeatPrompt'] },
          ],
          'user.text': [
            // A question the guide cannot answer ("quanto costa il canone?"): say so, offer a person, ask again.
            { guard: 'looksLikeQuestion', actions: [notice('global.off-topic'), 'repeatPrompt'] },
            {
              guard: 'missedTwice',
              target: '.offerAgent',
              actions: assign({ handoffReason: 'repeated-misses' as const }),
            },
            { actions: 'hint' },
          ],
          'user.choice': [
            {
              guard: 'missedTwice',
              target: '.offerAgent',
              actions: assign({ handoffReason: 'repeated-misses' as const }),
            },
            { actions: 'hint' },
          ],
          'agent.accepted': {
            target: '.handoff.active',
            actions: [assign(({ event }) => ({ agentName: event.agentName })), notice('handoff.accepted')],
          },
          'agent.text': { actions: 'relayToCustomer' },
          'agent.handback': [
            {
              guard: 'canResumeAt',
              target: '.resume',
              actions: [
                // The agent may pick the company (one not active); else resuming picks it (company-order.ts).
                assign(({ context, event }) => ({
                  resumeStep: event.step,
                  agentName: event.agentName,
                  current: pickedCompany(context.companies, event.company) ?? context.current,
                })),
                notice('handoff.back'),
              ],
            },
            { actions: 'rejectHandback' },
          ],
          'agent.closed': { target: '#guideHistory', actions: notice('handoff.closed') },
        },
        states: {
          starting: { always: [{ guard: 'hasResumeStep', target: 'resume' }, { target: 'guide' }] },
          guide: {
            id: 'guide',
            initial: 'partA',
            states: {
              partA: partA(flow),
              partB: partB(flow, settings),
              hist: { id: 'guideHistory', type: 'history', history: 'deep' },
            },
          },
          resume: { always: resumeTransitions() },
          offerAgent: {
            entry: ask('global.offer-agent'),
            on: {
              'user.choice': [
                { guard: picked('agent-yes'), target: 'handoff', actions: 'requestHandoff' },
                { guard: picked('agent-no'), target: '#guideHistory' },
              ],
            },
          },
          confirmRestart: {
            entry: ask('global.restart-confirm'),
            on: {
              'user.choice': [
                { guard: picked('restart-yes'), target: 'guide', actions: 'forgetEverything' },
                { guard: picked('restart-no'), target: '#guideHistory' },
              ],
            },
          },
          confirmErase: {
            entry: ask('global.erase-confirm'),
            on: {
              'user.choice': [
                { guard: picked('erase-yes'), target: 'erased', actions: [notice('global.erased'), 'eraseData'] },
                { guard: picked('erase-no'), target: '#guideHistory' },
              ],
            },
          },
          erased: { type: 'final' },
          stopped: {
            entry: ask('global.stopped'),
            on: {
              'user.choice': [
                { guard: picked('resume'), target: '#guideHistory' },
                { guard: picked('restart'), target: 'guide', actions: 'forgetEverything' },
              ],
            },
          },
          handoff: handoffState(flow, settings),
        },
      },
    },
  });
}

export type TsidMachine = ReturnType<typeof createTsidMachine>;
