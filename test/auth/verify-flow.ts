import { assign, emit, setup } from 'xstate';
import type { FlowDefinition } from '../../src/engine/index.js';
import type { FlowEffect, InboundEvent } from '../../src/contract/messages.js';

/**
 * A tiny flow with just the login step, for the login-link tests: `tsid.verify` asks for a
 * login link; auth.completed moves on with the e-mail kept; auth.failed says why and stays.
 */
const machine = setup({
  types: {
    context: {},
    events: {} as InboundEvent,
    emitted: {} as FlowEffect,
  },
}).createMachine({
  id: 'verify-test',
  initial: 'verify',
  context: {},
  states: {
    verify: {
      entry: emit({
        type: 'message',
        message: {
          kind: 'prompt',
          step: 'tsid.verify',
          text: 'Sign in with your TS ID.',
          loginLink: true,
          loginLabel: 'Sign in',
        },
      }),
      on: {
        'auth.completed': {
          target: 'openSettings',
          actions: assign(({ event }) => ({
            email: event.email,
            emailVerified: event.emailVerified,
            subject: event.subject,
          })),
        },
        'auth.failed': {
          actions: emit(({ event }) => ({
            type: 'message' as const,
            message: {
              kind: 'prompt' as const,
              step: 'tsid.verify',
              text:
                event.reason === 'provider_unavailable'
                  ? 'TS ID is not answering right now.'
                  : 'The sign-in did not work.',
            },
          })),
        },
      },
    },
    openSettings: {
      entry: emit({ type: 'message', message: { kind: 'prompt', step: 'invoice.open-settings', text: 'Signed in.' } }),
    },
  },
});

export const verifyFlow: FlowDefinition = {
  id: 'verify-test',
  version: 1,
  machine,
  createInput: () => ({}),
  interpret: (event) => event,
  currentStep: (snapshot) => (snapshot.value === 'verify' ? 'tsid.verify' : 'invoice.open-settings'),
  status: (snapshot) => ({
    locale: 'en',
    step: snapshot.value === 'verify' ? 'tsid.verify' : 'invoice.open-settings',
    stepTitle: String(snapshot.value),
    companies: [],
    awaitingLogin: snapshot.value === 'verify',
  }),
};
