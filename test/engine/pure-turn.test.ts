import { describe, expect, it } from '@jest/globals';
import { assign, initialTransition, setup, transition, type AnyMachineSnapshot } from 'xstate';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import type { FlowDefinition } from '../../src/contract/flow-definition.js';
import { oneMessagePerTurn } from '../../src/engine/one-message.js';
import { compact, runTurn } from '../../src/engine/run-turn.js';
import type { FlowEffect, InboundEvent } from '../../src/engine/index.js';

const start = { locale: 'it' as const, now: 1_767_600_000_000 };

function countingFlow() {
  const built = { initialContexts: 0 };
  const machine = setup({ types: { context: {} as { answers: number } } }).createMachine({
    id: 'counting',
    context: () => (built.initialContexts++, { answers: 0 }),
    initial: 'asking',
    states: { asking: { on: { next: { actions: assign({ answers: ({ context }) => context.answers + 1 }) } } } },
  });
  const flow: FlowDefinition = {
    id: 'counting',
    version: 1,
    machine,
    createInput: () => ({}),
    interpret: () => ({ type: 'next' }),
    currentStep: (snapshot: AnyMachineSnapshot) => String(snapshot.value),
    status: () => ({ step: 'asking', companies: [] }) as never,
  };
  return { flow, built };
}

describe('a guide turn', () => {
  it('of a stored conversation does not rebuild the machine initial state (xstate transition() does, every call)', () => {
    const { flow, built } = countingFlow();
    let stored = runTurn(flow, undefined, { type: 'user.text', text: 'ciao' }, start).snapshot;
    const before = built.initialContexts;
    for (let turn = 0; turn < 20; turn++) {
      stored = runTurn(flow, stored, { type: 'user.text', text: 'sì' }, start).snapshot;
    }
    expect(built.initialContexts - before).toBe(0);
    expect(stored).toEqual({ value: 'asking', context: { answers: 20 } });
  });

  it('gives the same snapshots and effects as xstate transition() over the whole real guide', () => {
    const flow = createTsidFlow();
    const texts = ['ciao', 'sì', 'sì', 'fatto', 'fatto', 'fatto', 'fatto', 'sì', 'a@b.it', 'fatto', 'fatto'];
    const more = ['Bar Roma 01234560785, Trattoria', 'sì', 'ok', 'fatto', 'sì', 'fatto', 'fatto', 'fatto', 'fatto'];
    const events: InboundEvent[] = [...texts, ...more, 'accettato', 'verde', 'stato'].map((text) => ({
      type: 'user.text',
      text,
    }));
    let stored: unknown;
    let [reference] = initialTransition(flow.machine, flow.createInput(start));
    stored = runTurn(flow, stored, events[0], start).snapshot;
    for (const event of events.slice(1)) {
      const ours = runTurn(flow, stored, event, start);
      const [next, actions] = transition(flow.machine, reference, flow.interpret(event, reference));
      reference = next;
      const emitted = (actions as { type: string; params?: { event?: unknown } }[])
        .filter((action) => action.type === 'xstate.emit')
        .map((action) => action.params!.event as FlowEffect);
      expect(ours.effects).toEqual(oneMessagePerTurn(emitted));
      expect(ours.snapshot).toEqual(compact(flow, flow.machine.getPersistedSnapshot(reference)));
      stored = ours.snapshot;
    }
    expect(flow.currentStep(reference)).not.toBe(
      flow.currentStep(initialTransition(flow.machine, flow.createInput(start))[0]),
    );
  });
});
