import { assign } from 'xstate';
import { ask, enter, handOff, notice, picked, remindIn, stepEntry } from './dsl.js';
import { LOGIN_CODE_TTL_MS } from '../../src/contract/login-code.js';
import { suggestEmail } from './email-typo.js';
import type { FlowSetup } from './setup.js';

/** Part A of the guide: create or associate the TeamSystem ID (`tsid.*`). */
export function partA(flow: FlowSetup) {
  // The identity waits in `confirm` for its code (newest sign-in wins): a sign-in alone binds nothing.
  const signedIn = { target: 'confirm', actions: 'holdIdentity' } as const;

  /** A typed address: asked about a likely slip in its domain, else noted; anything else is asked again. */
  const typedEmail = [
    {
      guard: 'emailHasTypo' as const,
      target: '#guide.partA.verify.emailTypo',
      reenter: true,
      actions: 'noteTypedEmail' as const,
    },
    {
      guard: 'looksLikeEmail' as const,
      target: '#guide.partB',
      actions: ['noteTypedEmail' as const, notice('tsid.email-noted')],
    },
    { guard: 'looksLikeQuestion' as const, actions: [notice('global.off-topic'), 'repeatPrompt' as const] },
    { actions: ask('tsid.verify-email-invalid') },
  ];

  return flow.createStateConfig({
    initial: 'intro',
    states: {
      intro: {
        meta: { step: 'tsid.intro' },
        entry: stepEntry('tsid.intro'),
        on: {
          'user.choice': [
            { guard: picked('yes'), target: 'admin', actions: assign({ hasTsId: 'yes' as const }) },
            { guard: picked('no'), target: 'admin', actions: assign({ hasTsId: 'no' as const }) },
            {
              guard: picked('unsure'),
              target: 'admin',
              actions: [assign({ hasTsId: 'unsure' as const }), notice('tsid.unsure-tip')],
            },
          ],
        },
      },
      admin: {
        meta: { step: 'tsid.admin' },
        initial: 'asking',
        states: {
          asking: {
            entry: stepEntry('tsid.admin'),
            on: {
              'user.choice': [
                { guard: picked('yes'), target: '#guide.partA.login' },
                { guard: picked('no'), target: 'notAdmin' },
              ],
            },
          },
          notAdmin: {
            entry: ask('tsid.not-admin'),
            on: {
              'user.choice': [
                { guard: picked('admin-here'), target: '#guide.partA.login' },
                { guard: picked('agent'), target: '#flow.main.handoff', actions: handOff('not-admin') },
              ],
            },
          },
        },
      },
      login: {
        meta: { step: 'tsid.login' },
        entry: stepEntry('tsid.login'),
        on: {
          'user.choice': [
            { guard: picked('done'), target: 'openSection' },
            {
              guard: picked('cant-login'),
              target: '#flow.main.offerAgent',
              actions: assign({ handoffReason: 'stuck' as const }),
            },
          ],
        },
      },
      openSection: {
        meta: { step: 'tsid.open-section' },
        entry: stepEntry('tsid.open-section'),
        on: {
          'user.choice': [
            { guard: picked('done'), target: 'connect' },
            {
              guard: 'retriedOnce',
              target: '#flow.main.offerAgent',
              actions: assign({ handoffReason: 'stuck' as const }),
            },
            { guard: picked('cant-find'), actions: ['retry', ask('tsid.open-section-hint')] },
          ],
        },
      },
      connect: {
        meta: { step: 'tsid.connect' },
        entry: stepEntry('tsid.connect'),
        on: {
          'user.choice': [
            { guard: picked('register'), target: 'register', actions: assign({ hasTsId: 'no' as const }) },
            { guard: picked('existing'), target: 'signInExisting', actions: assign({ hasTsId: 'yes' as const }) },
            { guard: 'hasTsId', target: 'signInExisting' },
            { guard: picked('done'), target: 'register' },
          ],
        },
      },
      register: {
        meta: { step: 'tsid.register' },
        entry: stepEntry('tsid.register'),
        on: { 'user.choice': { guard: picked('done'), target: 'return' } },
      },
      signInExisting: {
        meta: { step: 'tsid.sign-in-existing' },
        entry: stepEntry('tsid.sign-in-existing'),
        on: { 'user.choice': { guard: picked('done'), target: 'return' } },
      },
      return: {
        meta: { step: 'tsid.return' },
        entry: stepEntry('tsid.return'),
        on: {
          'user.choice': [
            { guard: picked('yes'), target: 'verify', actions: notice('tsid.linked') },
            {
              guard: picked('not-back'),
              target: '#flow.main.offerAgent',
              actions: assign({ handoffReason: 'stuck' as const }),
            },
          ],
        },
      },
      verify: {
        meta: { step: 'tsid.verify' },
        entry: enter('tsid.verify'),
        initial: 'choosing',
        states: {
          choosing: { always: [{ guard: 'loginEnabled', target: 'link' }, { target: 'email' }] },
          link: {
            entry: ask('tsid.verify-link'),
            on: {
              'auth.completed': signedIn,
              'auth.failed': [
                { guard: ({ event }) => event.reason === 'provider_unavailable', target: 'unavailable' },
                { target: 'failed' },
              ],
              'user.choice': [
                { guard: picked('new-link'), target: 'link', reenter: true },
                { guard: picked('type-email'), target: 'email' },
              ],
            },
          },
          // The sign-in's page shows a one-time code: typed here, it proves the person who signed in is this chat's user.
          confirm: {
            entry: [ask('tsid.verify-code'), remindIn('login-code', LOGIN_CODE_TTL_MS)],
            exit: 'cancelReminder',
            on: {
              'reminder.due': {
                guard: 'reminderIsPending',
                target: 'voided',
                actions: ['dropIdentity', ask('tsid.verify-code-expired')],
              },
              'user.text': [
                {
                  guard: 'codeMatches',
                  target: '#guide.partB',
                  actions: ['auditBinding', 'bindIdentity', 'sayVerified'],
                },
                { guard: 'lastCodeAttempt', target: 'voided', actions: ['dropIdentity', ask('tsid.verify-code-void')] },
                { guard: 'looksLikeCode', actions: ['countCodeAttempt', ask('tsid.verify-code-wrong')] },
              ],
              'user.choice': [
                { guard: picked('new-link'), target: 'link', actions: 'dropIdentity' },
                { guard: picked('type-email'), target: 'email', actions: 'dropIdentity' },
              ],
            },
          },
          // Told why on the way in (too many tries, or too late).
          voided: {
            on: {
              'user.choice': [
                { guard: picked('new-link'), target: 'link' },
                { guard: picked('type-email'), target: 'email' },
              ],
            },
          },
          unavailable: {
            entry: ask('tsid.verify-unavailable'),
            on: {
              // A sign-in finished after the failure was told: it counts as if it had come in time.
              'auth.completed': signedIn,
              'user.choice': [
                { guard: picked('new-link'), target: 'link' },
                { guard: picked('type-email'), target: 'email' },
              ],
            },
          },
          failed: {
            entry: ask('tsid.verify-failed'),
            on: {
              // A sign-in finished after the failure was told: it counts as if it had come in time.
              'auth.completed': signedIn,
              'user.choice': [
                { guard: picked('new-link'), target: 'link' },
                { guard: picked('type-email'), target: 'email' },
              ],
            },
          },
          email: {
            entry: ask('tsid.verify-email'),
            on: {
              // A way out: where to find the address, or a person.
              'user.choice': [
                { guard: picked('email-forgot'), actions: ask('tsid.email-forgot') },
                { guard: picked('type-email'), actions: ask('tsid.verify-email') },
                { guard: picked('ask-agent'), target: '#flow.main.handoff', actions: handOff('customer-asked') },
              ],
              'user.text': typedEmail,
            },
          },
          // "mario@gmial.com": the customer sees the address in full and is asked about the likely slip.
          emailTypo: {
            entry: ask('tsid.email-typo'),
            on: {
              'user.choice': [
                {
                  guard: picked('email-fix'),
                  target: '#guide.partB',
                  actions: [
                    assign(({ context }) => ({ inviteEmail: suggestEmail(context.inviteEmail ?? '') })),
                    notice('tsid.email-noted'),
                  ],
                },
                { guard: picked('email-keep'), target: '#guide.partB', actions: notice('tsid.email-noted') },
              ],
              'user.text': typedEmail,
            },
          },
        },
      },
    },
  });
}
