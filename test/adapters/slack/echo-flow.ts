import { emit, enqueueActions, setup } from 'xstate';
import type { FlowDefinition, FlowEffect, InboundEvent, Locale, PromptMessage } from '../../../src/engine/index.js';

/**
 * A tiny flow for the adapter's own tests, independent of the guide's copy: it greets with
 * two buttons (the second one dangerous, with a confirmation), echoes what it gets, and
 * knows three words: `burst` (three messages), `ask` (a question whose "Three" button
 * answers with three messages) and `remind` (a reminder in 1 min).
 * `company` is the name the greeting and the status show (hostile-name tests).
 */
const say = (text: string, extra: Partial<PromptMessage> = {}): FlowEffect => ({
  type: 'message',
  message: { kind: 'prompt', step: 'echo', text, ...extra },
});

export const greeting = (locale: Locale, company: string): FlowEffect =>
  say(`hello (${locale})`, {
    choices: [
      { id: 'yes', label: 'Yes', style: 'primary' },
      {
        id: 'unlink',
        label: `Unlink ${company}`,
        style: 'danger',
        confirm: { title: 'Unlink?', text: `Unlink ${company} (VAT IT01234567890)?`, yes: 'Unlink', no: 'Cancel' },
      },
    ],
    links: [{ label: 'Portal', url: 'https://portal.example/login' }],
  });

/**
 * Three messages of one turn, each with a button: one turn is one message only for plain
 * notices before a question (src/engine/one-message.ts), so these stay three posts.
 */
const burst = (): FlowEffect[] =>
  [1, 2, 3].map((n) => say(`part ${n}`, { choices: [{ id: `part-${n}`, label: `Part ${n}` }] }));

const ask = say('how many?', { choices: [{ id: 'burst', label: 'Three' }] });

export function createEchoFlow(company = 'ACME'): FlowDefinition {
  const machine = setup({
    types: {
      context: {} as { locale: Locale; company: string },
      events: {} as InboundEvent,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (the rule misreads the contextual type)
      input: {} as { locale?: Locale },
      emitted: {} as FlowEffect,
    },
  }).createMachine({
    id: 'echo',
    context: ({ input }) => ({ locale: input.locale ?? 'it', company }),
    initial: 'chatting',
    states: {
      chatting: {
        entry: emit(({ context }) => greeting(context.locale, context.company)),
        on: {
          'user.text': {
            actions: enqueueActions(({ event, enqueue }) => {
              const text = event.text;
              if (text === 'burst') for (const part of burst()) enqueue.emit(part);
              else if (text === 'ask') enqueue.emit(ask);
              else if (text === 'remind')
                enqueue.emit({ type: 'reminder.schedule', reminderId: 'r1', delayMs: 60_000 });
              else enqueue.emit(say(`you said: ${text}`));
            }),
          },
          'user.choice': {
            actions: enqueueActions(({ event, enqueue }) => {
              if (event.choiceId === 'burst') for (const part of burst()) enqueue.emit(part);
              else enqueue.emit(say(`you chose: ${event.choiceId}`));
            }),
          },
          'reminder.due': { actions: emit(({ event }) => say(`reminder ${event.reminderId}`)) },
          '*': { actions: emit(({ event }) => say(`got ${event.type}`)) },
        },
      },
    },
  });

  return {
    id: 'echo',
    version: 1,
    machine,
    createInput: (start) => ({ locale: start.locale }),
    interpret: (event) => event,
    currentStep: () => 'echo',
    status: (snapshot) => ({
      locale: snapshot.context.locale,
      step: 'echo',
      stepTitle: 'Echoing',
      companies: [{ name: snapshot.context.company, vat: 'IT01234567890', status: 'pending', statusLabel: 'pending' }],
    }),
    // Its questions never change: the one offering the clicked id is the one answered.
    question: (snapshot, choiceId) =>
      [greeting(snapshot.context.locale, snapshot.context.company), ask]
        .map((effect) => (effect.type === 'message' && effect.message.kind === 'prompt' ? effect.message : undefined))
        .find((message) => message?.choices?.some((choice) => choice.id === choiceId)),
  };
}
