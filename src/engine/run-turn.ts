import { createActor, initialTransition, transition, type AnyMachineSnapshot, type EventObject } from 'xstate';
import { AppError } from '../errors.js';
import type { FlowDefinition, FlowStart } from './flow-definition.js';
import type { FlowEffect, InboundEvent } from './messages.js';

export interface TurnOutcome {
  snapshot: unknown;
  step: string;
  effects: FlowEffect[];
}

/**
 * Runs one event through the flow with XState's pure `transition()`: nothing is executed,
 * emitted effects are returned. `persisted` undefined starts a new conversation.
 */
export function runTurn(
  flow: FlowDefinition,
  persisted: unknown | undefined,
  event: InboundEvent,
  start: FlowStart,
): TurnOutcome {
  const effects: FlowEffect[] = [];
  let snapshot: AnyMachineSnapshot;
  if (persisted === undefined) {
    snapshot = step(effects, initialTransition(flow.machine, flow.createInput(start)));
    // The first message or start request only opens the guide; anything else still applies.
    if (event.type !== 'user.text' && event.type !== 'session.start') {
      snapshot = step(effects, transition(flow.machine, snapshot, flow.interpret(event, snapshot)));
    }
  } else {
    const restored = restore(flow, persisted);
    snapshot = step(effects, transition(flow.machine, restored, flow.interpret(event, restored)));
  }
  return { snapshot: flow.machine.getPersistedSnapshot(snapshot), step: flow.currentStep(snapshot), effects };
}

/** Revives a persisted snapshot without starting an actor (no entry actions re-run). */
export function restore(flow: FlowDefinition, persisted: unknown): AnyMachineSnapshot {
  return createActor(flow.machine, { snapshot: persisted as never, input: {} as never }).getSnapshot();
}

function step(effects: FlowEffect[], [snapshot, actions]: [AnyMachineSnapshot, unknown[]]): AnyMachineSnapshot {
  for (const action of actions as { type: string; params?: { event?: EventObject; delay?: number } }[]) {
    if (action.type === 'xstate.emit') effects.push(action.params!.event as unknown as FlowEffect);
    else if (action.type === 'xstate.raise' && action.params?.delay !== undefined) unsupported('a delayed event');
    else if (action.type === 'xstate.sendTo' || action.type === 'xstate.spawnChild') unsupported(action.type);
  }
  return snapshot;
}

function unsupported(what: string): never {
  throw new AppError('tsid_flow_unsupported', `${what} cannot run in a persisted flow: use a reminder.schedule effect`);
}
