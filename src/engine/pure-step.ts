import { createActor, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

type MachineScope = Parameters<AnyStateMachine['transition']>[2];

/**
 * XState's `transition()`/`initialTransition()` build a throwaway actor per call, and that actor
 * computes the machine's whole initial state (half the CPU of a guide turn). The flow spawns no
 * children and runs no actions here, so one never-started actor per machine serves every turn;
 * each call gets its own scope that only collects the actions.
 */
const inertActors = new WeakMap<AnyStateMachine, ReturnType<typeof createActor>>();

function scope(machine: AnyStateMachine, actions: unknown[]): MachineScope {
  let self = inertActors.get(machine);
  if (!self) {
    self = createActor(machine, { input: {} });
    inertActors.set(machine, self);
  }
  return {
    self,
    defer: () => undefined,
    id: '',
    logger: () => undefined,
    sessionId: '',
    stopChild: () => undefined,
    system: self.system,
    emit: () => undefined,
    actionExecutor: (action: unknown) => void actions.push(action),
  };
}

/** Same result as xstate's `transition(machine, snapshot, event)`. */
export function pureTransition(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: EventObject,
): [AnyMachineSnapshot, unknown[]] {
  const actions: unknown[] = [];
  return [machine.transition(snapshot, event, scope(machine, actions)) as AnyMachineSnapshot, actions];
}

/** Same result as xstate's `initialTransition(machine, input)`. */
export function pureInitialTransition(machine: AnyStateMachine, input: unknown): [AnyMachineSnapshot, unknown[]] {
  const actions: unknown[] = [];
  return [machine.getInitialSnapshot(scope(machine, actions), input) as AnyMachineSnapshot, actions];
}

/** Revives a persisted snapshot without starting an actor (no entry actions re-run). */
export function pureRestore(machine: AnyStateMachine, persisted: unknown): AnyMachineSnapshot {
  return machine.restoreSnapshot(persisted as never, scope(machine, [])) as AnyMachineSnapshot;
}
