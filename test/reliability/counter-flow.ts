import { emit, enqueueActions, setup } from 'xstate';
import type { FlowDefinition, FlowEffect, FlowStart, InboundEvent, OutboundMessage } from '../../src/engine/index.js';

/**
 * A tiny flow for store, scheduler and reliability tests: it counts the customer's answers,
 * says one message per event, and can arm and cancel a reminder. Commands (typed or as a
 * choice id): `remind <ms>` arms a reminder; `erase` erases the conversation (its pending
 * reminders left to the engine, as a flow may); anything else is an answer that counts and
 * cancels every pending reminder. A due reminder is said only while still pending.
 */
interface CounterContext {
  count: number;
  pending: string[];
  seq: number;
  /** Set by a version upgrade (tests check the migration ran). */
  migratedFrom?: number;
  /** Where a conversation restarted after a flow change it could not be migrated across. */
  restartedAt?: string;
}

type CounterEvent =
  { type: 'answer' } | { type: 'remind'; delayMs: number } | { type: 'due'; reminderId: string } | { type: 'erase' };

const say = (text: string): FlowEffect => ({ type: 'message', message: { kind: 'prompt', step: 'counting', text } });
/**
 * The greeting has a button, so the engine keeps it a message of its own (one turn, one
 * message joins only plain notices into the question after them): each count stays one message.
 */
const greet = (text: string): FlowEffect => ({
  type: 'message',
  message: { kind: 'prompt', step: 'counting', text, choices: [{ id: 'count', label: 'Count' }] },
});

const machine = setup({
  types: {
    context: {} as CounterContext,
    events: {} as CounterEvent,
    emitted: {} as FlowEffect,
    input: {} as FlowStart,
  },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({
    count: 0,
    pending: [],
    seq: 0,
    restartedAt: input.guideChanged ? (input.step ?? 'the start') : undefined,
  }),
  entry: emit(({ context }) =>
    greet(context.restartedAt ? `the guide changed: restarting at ${context.restartedAt}` : 'hello'),
  ),
  initial: 'counting',
  states: {
    counting: {
      on: {
        answer: {
          actions: enqueueActions(({ context, enqueue }) => {
            for (const reminderId of context.pending) enqueue.emit({ type: 'reminder.cancel', reminderId });
            enqueue.assign({ count: context.count + 1, pending: [] });
            enqueue.emit(say(`count ${context.count + 1}`));
          }),
        },
        remind: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const reminderId = `r${context.seq + 1}`;
            enqueue.assign({ seq: context.seq + 1, pending: [...context.pending, reminderId] });
            enqueue.emit({ type: 'reminder.schedule', reminderId, delayMs: event.delayMs });
            enqueue.emit(say(`armed ${reminderId}`));
          }),
        },
        erase: { actions: emit({ type: 'data.erase' }) },
        due: {
          guard: ({ context, event }) => context.pending.includes(event.reminderId),
          actions: enqueueActions(({ context, event, enqueue }) => {
            enqueue.assign({ pending: context.pending.filter((id) => id !== event.reminderId) });
            enqueue.emit(say(`reminder ${event.reminderId}`));
          }),
        },
      },
    },
  },
});

function interpret(event: InboundEvent): CounterEvent {
  const command = event.type === 'user.text' ? event.text : event.type === 'user.choice' ? event.choiceId : '';
  const remind = /^remind (\d+)$/.exec(command);
  if (remind) return { type: 'remind', delayMs: Number(remind[1]) };
  if (command === 'erase') return { type: 'erase' };
  if (event.type === 'reminder.due') return { type: 'due', reminderId: event.reminderId };
  return { type: 'answer' };
}

export interface CounterFlowOptions {
  version?: number;
  upgrade?: FlowDefinition['upgrade'];
}

/** The counter flow; `version` and `upgrade` let tests play a flow change. */
export function createCounterFlow(options: CounterFlowOptions = {}): FlowDefinition {
  return {
    id: 'counter',
    version: options.version ?? 1,
    machine,
    createInput: (start) => start,
    interpret: (event) => interpret(event),
    currentStep: () => 'counting',
    status: (snapshot) => ({
      locale: 'en',
      step: 'counting',
      stepTitle: `count ${(snapshot.context as CounterContext).count}`,
      companies: [],
    }),
    upgrade: options.upgrade,
  };
}

/** The count a stored snapshot holds. */
export function countOf(snapshot: unknown): number {
  return (snapshot as { context: Partial<CounterContext> }).context.count ?? 0; // stored snapshots leave out a zero count
}

/** The migration marker a stored snapshot holds. */
export function migratedFrom(snapshot: unknown): number | undefined {
  return (snapshot as { context: CounterContext }).context.migratedFrom;
}

/** The text of a prompt (every message of this flow is one). */
export function textOf(message: OutboundMessage): string {
  return message.kind === 'prompt' ? message.text : message.kind;
}
