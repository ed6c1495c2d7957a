import { emit, enqueueActions, setup } from 'xstate';
import type { FlowDefinition, FlowEffect, InboundEvent, Locale, PromptMessage } from '../../../src/engine/index.js';

/** The hostile company name of the brief: a mention, a link, bold, HTML and italics. */
export const HOSTILE = '<at>Mario</at> [click](https://evil.example) **bold** <b>x</b> _u_';

const say = (text: string, extra: Partial<PromptMessage> = {}): FlowEffect => ({
  type: 'message',
  message: { kind: 'prompt', step: 'tiny', text, ...extra },
});

/** What `burst`, and the "Three" button of `ask`, answer: one turn of three messages. */
/** Each with a button: one turn is one message only for plain notices before a question, so these stay three. */
const burst = (): FlowEffect[] =>
  [1, 2, 3].map((n) => say(`part ${n}`, { choices: [{ id: `part-${n}`, label: `Part ${n}` }] }));

/** The greeting: a primary button, a dangerous one with a confirmation, a link. */
export const greeting = (locale: Locale, company: string): FlowEffect =>
  say(`hello (${locale}) ${company}`, {
    choices: [
      { id: 'yes', label: 'Yes', style: 'primary' },
      {
        id: 'unlink',
        label: `Unlink ${company}`,
        style: 'danger',
        confirm: {
          title: `Unlink ${company}?`,
          text: `You unlink ${company} (VAT 01234567897).`,
          yes: 'Yes, unlink',
          no: 'Cancel',
        },
      },
    ],
    links: [{ label: 'Portal', url: 'https://portal.example/login' }],
  });

/**
 * A flow for the adapter's own tests, independent of the guide's copy. It greets, echoes
 * text, answers choices, and knows a few words: `remind` (a reminder in 30 min), `burst`
 * (three messages), `ask` (a question whose "Three" button answers with three messages),
 * `agent` (an agent's message), `helpdesk` (a helpdesk post, then a prompt).
 */
export function createTinyFlow(company = 'ACME'): FlowDefinition {
  const machine = setup({
    types: {
      context: {} as { locale: Locale; company: string },
      events: {} as InboundEvent,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (the rule misreads the contextual type)
      input: {} as { locale?: Locale },
      emitted: {} as FlowEffect,
    },
  }).createMachine({
    id: 'tiny',
    context: ({ input }) => ({ locale: input.locale ?? 'it', company }),
    initial: 'chatting',
    states: {
      chatting: {
        entry: emit(({ context }) => greeting(context.locale, context.company)),
        on: {
          'user.text': {
            actions: enqueueActions(({ context, event, enqueue }) => {
              if (event.text === 'remind')
                enqueue.emit({ type: 'reminder.schedule', reminderId: 'invite-1', delayMs: 30 * 60_000 });
              else if (event.text === 'burst') for (const part of burst()) enqueue.emit(part);
              else if (event.text === 'ask')
                enqueue.emit(say('how many?', { choices: [{ id: 'burst', label: 'Three' }] }));
              else if (event.text === 'agent')
                enqueue.emit({
                  type: 'message',
                  message: { kind: 'agent.text', agentName: context.company, text: `about ${context.company}` },
                });
              else if (event.text === 'helpdesk') {
                enqueue.emit({ type: 'message', message: { kind: 'handoff.relay', text: 'for the agents' } });
                enqueue.emit(say('after the helpdesk post'));
              } else enqueue.emit(say(`you said: ${event.text}`));
            }),
          },
          'user.choice': {
            actions: enqueueActions(({ event, enqueue }) => {
              if (event.choiceId === 'burst') for (const part of burst()) enqueue.emit(part);
              else enqueue.emit(say(`you chose: ${event.choiceId}`, { choices: [{ id: 'again', label: 'Again' }] }));
            }),
          },
          'reminder.due': { actions: emit(({ event }) => say(`reminder ${event.reminderId}: check your mail`)) },
          'session.start': { actions: emit(({ context }) => greeting(context.locale, context.company)) },
        },
      },
    },
  });

  return {
    id: 'tiny',
    version: 1,
    machine,
    createInput: (start) => ({ locale: start.locale }),
    interpret: (event) => event,
    currentStep: () => 'tiny',
    status: (snapshot) => ({ locale: snapshot.context.locale, step: 'tiny', stepTitle: 'Tiny', companies: [] }),
  };
}
