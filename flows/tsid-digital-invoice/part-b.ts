import { assign } from 'xstate';
import { parseCompanies } from './companies.js';
import { nextOpenCompany, reactivatedIndex } from './company-order.js';
import { looksLikeQuestion } from './interpret.js';
import { ask, companyIs, handOff, notice, picked, remindIn, stageEntry, stepEntry } from './dsl.js';
import { problemLines } from './problem-list.js';
import type { FlowSetup } from './setup.js';
import type { FlowSettings } from './types.js';

/** Part B of the guide: re-activate "Digital Invoice" company by company (`invoice.*`). */
export function partB(flow: FlowSetup, settings: FlowSettings) {
  const firstInviteReminder = remindIn('invite', settings.inviteRemindersMs[0] ?? 30 * 60_000);
  return flow.createStateConfig({
    initial: 'openSettings',
    states: {
      // One action per message: sign in, then open the page.
      openSettings: {
        meta: { step: 'invoice.open-settings' },
        entry: stepEntry('invoice.open-settings'),
        on: { 'user.choice': { guard: picked('done'), target: 'settingsPage' } },
      },
      settingsPage: {
        meta: { step: 'invoice.open-settings' },
        entry: stageEntry(1, 'invoice.settings-page'),
        on: { 'user.choice': { guard: picked('done'), target: 'companies' } },
      },
      companies: {
        meta: { step: 'invoice.companies' },
        initial: 'asking',
        // Typed text at any point of this step is (a new version of) the list.
        on: {
          'user.text': [
            // "quanto costa il canone?" is a question, not a company (a name may start "Come …", so only a "?" counts here).
            {
              guard: ({ event }) => event.text.includes('?') && looksLikeQuestion(event.text),
              actions: [notice('global.off-topic'), 'repeatPrompt'],
            },
            {
              guard: ({ event }) => parseCompanies(event.text).problems.length > 0,
              target: '.fixing',
              reenter: true,
              actions: assign(({ context, event }) => ({
                companyProblems: problemLines(parseCompanies(event.text).problems, context.locale),
              })),
            },
            {
              target: '.readback',
              reenter: true,
              actions: assign(({ event }) => ({ draftCompanies: parseCompanies(event.text).companies })),
            },
          ],
        },
        states: {
          asking: { entry: stepEntry('invoice.companies') },
          fixing: { entry: ask('invoice.companies-problems') },
          retyping: { entry: ask('invoice.companies-retype') },
          readback: {
            entry: ask('invoice.companies-readback'),
            on: {
              'user.choice': [
                {
                  guard: picked('list-ok'),
                  target: '#guide.partB.afterCompanies',
                  actions: assign(({ context }) => ({
                    companies: context.draftCompanies,
                    draftCompanies: [],
                    current: 0,
                  })),
                },
                { guard: picked('list-fix'), target: 'retyping' },
              ],
            },
          },
        },
      },
      afterCompanies: {
        always: [
          { guard: ({ context }) => context.companies.length > 1, target: 'multiWarning' },
          { target: 'company' },
        ],
      },
      multiWarning: {
        meta: { step: 'invoice.multi-warning' },
        entry: stepEntry('invoice.multi-warning'),
        on: { 'user.choice': { guard: picked('understood'), target: 'company' } },
      },
      company: {
        initial: 'reviewData',
        states: {
          reviewData: {
            meta: { step: 'invoice.review-data' },
            entry: stepEntry('invoice.review-data'),
            on: { 'user.choice': { guard: picked('done'), target: 'confirmUnlink' } },
          },
          confirmUnlink: {
            meta: { step: 'invoice.confirm-unlink' },
            entry: stepEntry('invoice.confirm-unlink'),
            on: {
              'user.choice': [
                { guard: picked('unlink'), target: 'unlink', actions: companyIs('confirmed') },
                {
                  guard: picked('skip'),
                  target: '#guide.partB.nextCompany',
                  actions: [companyIs('skipped'), notice('invoice.skipped')],
                },
              ],
            },
          },
          unlink: {
            meta: { step: 'invoice.unlink' },
            entry: stepEntry('invoice.unlink'),
            on: { 'user.choice': { guard: picked('done'), target: 'relink', actions: companyIs('unlinked') } },
          },
          // One action per message: click the green chain, then enter the noted data.
          relink: {
            meta: { step: 'invoice.relink' },
            entry: stepEntry('invoice.relink'),
            on: { 'user.choice': { guard: picked('done'), target: 'relinkData' } },
          },
          relinkData: {
            meta: { step: 'invoice.relink' },
            entry: stageEntry(1, 'invoice.relink-data'),
            on: { 'user.choice': { guard: picked('done'), target: 'continue', actions: companyIs('relinked') } },
          },
          continue: {
            meta: { step: 'invoice.continue' },
            entry: stepEntry('invoice.continue'),
            on: { 'user.choice': { guard: picked('done'), target: 'invite' } },
          },
          invite: {
            meta: { step: 'invoice.invite' },
            entry: [
              ...stepEntry('invoice.invite'),
              companyIs('invited'),
              assign({ remindersSent: 0 }),
              firstInviteReminder,
            ],
            exit: 'cancelReminder',
            on: {
              'user.choice': [
                { guard: picked('accepted'), target: 'waitGreen' },
                // First: spam and a few minutes; a second "not arrived" goes on to the portal.
                {
                  guard: ({ context, event }) =>
                    event.type === 'user.choice' &&
                    event.choiceId === 'no-email' &&
                    // after the last reminder (it already points at the portal), no more waiting
                    (context.retries >= 1 || context.prompt === 'invoice.invite-last-reminder'),
                  target: 'portalFallback',
                },
                { guard: picked('no-email'), actions: ['retry', ask('invoice.invite-spam')] },
              ],
              'reminder.due': { guard: 'reminderIsPending', actions: 'remindOfInvite' },
            },
          },
          portalFallback: {
            meta: { step: 'invoice.portal-fallback' },
            entry: stepEntry('invoice.portal-fallback'),
            on: {
              'user.choice': [
                { guard: picked('done'), target: 'waitGreen' },
                { guard: picked('still-stuck'), target: '#flow.main.handoff', actions: handOff('invite-missing') },
              ],
            },
          },
          waitGreen: {
            meta: { step: 'invoice.wait-green' },
            entry: [...stepEntry('invoice.wait-green'), companyIs('waiting-green')],
            exit: 'cancelReminder',
            on: {
              'user.choice': [
                {
                  guard: picked('green'),
                  target: '#guide.partB.nextCompany',
                  actions: [companyIs('active'), notice('invoice.company-active')],
                },
                {
                  guard: 'retriedTwice',
                  target: '#flow.main.offerAgent',
                  actions: assign({ handoffReason: 'chain-not-green' as const }),
                },
                {
                  guard: picked('not-yet'),
                  actions: [
                    'retry',
                    'cancelReminder',
                    ask('invoice.not-green-yet'),
                    remindIn('green', settings.greenCheckMs),
                  ],
                },
              ],
              'reminder.due': {
                guard: 'reminderIsPending',
                actions: [assign({ pendingReminder: undefined }), ask('invoice.green-check')],
              },
            },
          },
        },
      },
      nextCompany: {
        always: [
          {
            guard: 'hasMoreCompanies',
            target: 'company',
            actions: assign(({ context }) => ({ current: nextOpenCompany(context) })),
          },
          { target: 'done' },
        ],
      },
      done: {
        meta: { step: 'invoice.done' },
        entry: stepEntry('invoice.done'),
        on: {
          // Back to a skipped company, at its review step; the summary comes again after it.
          'user.choice': {
            guard: 'reactivatePicked',
            target: 'company',
            actions: assign(({ event }) => ({ current: reactivatedIndex(event) ?? 0 })),
          },
        },
      },
    },
  });
}
