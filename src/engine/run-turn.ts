import { initialTransition, type AnyMachineSnapshot, type EventObject } from 'xstate';
import { AppError } from '../errors.js';
import type { FlowDefinition, FlowStart } from '../contract/flow-definition.js';
import type { FlowEffect, InboundEvent, PromptMessage } from '../contract/messages.js';
import { oneMessagePerTurn } from './one-message.js';
import { pureInitialTransition, pureRestore, pureTransition } from './pure-step.js';

export interface TurnOutcome {
  /** What to store (compact). */
  snapshot: unknown;
  /** The same snapshot, live: the next turn can start from it while the record is unchanged. */
  live: AnyMachineSnapshot;
  step: string;
  effects: FlowEffect[];
  /** For a click on the question asked before this turn: that question, as the flow rebuilds it. */
  answered?: PromptMessage;
}

/**
 * Runs one event through the flow with XState's pure `transition()`: nothing is executed,
 * emitted effects are returned. `persisted` undefined starts a new conversation; `live`, when
 * given, is `persisted` already restored (the engine's snapshot cache).
 */
export function runTurn(
  flow: FlowDefinition,
  persisted: unknown,
  event: InboundEvent,
  start: FlowStart,
  live?: AnyMachineSnapshot,
): TurnOutcome {
  const effects: FlowEffect[] = [];
  let snapshot: AnyMachineSnapshot;
  let answered: PromptMessage | undefined;
  if (persisted === undefined) {
    snapshot = step(effects, pureInitialTransition(flow.machine, flow.createInput(start)));
    // The first message or start request only opens the guide; anything else still applies.
    if (event.type !== 'user.text' && event.type !== 'session.start') {
      snapshot = step(effects, pureTransition(flow.machine, snapshot, flow.interpret(event, snapshot)));
    }
  } else {
    const restored = live ?? restore(flow, persisted);
    if (event.type === 'user.choice') answered = flow.question?.(restored, event.choiceId);
    snapshot = step(effects, pureTransition(flow.machine, restored, flow.interpret(event, restored)));
  }
  return {
    snapshot: compact(flow, persist(flow, snapshot)),
    live: snapshot,
    step: flow.currentStep(snapshot),
    effects: oneMessagePerTurn(effects),
    ...(answered ? { answered } : {}),
  };
}

/** Revives a stored snapshot without starting an actor (no entry actions re-run). */
export function restore(flow: FlowDefinition, stored: unknown): AnyMachineSnapshot {
  return pureRestore(flow.machine, expand(flow, stored));
}

/**
 * What XState's `getPersistedSnapshot()` gives, for a snapshot without children, without its
 * deep walk of the context for actor references (a flow here spawns nothing: no children, no
 * references) nor its copy of the snapshot's other fields. With children, XState's own.
 */
export function persist(flow: FlowDefinition, snapshot: AnyMachineSnapshot): unknown {
  for (const _child in snapshot.children) return flow.machine.getPersistedSnapshot(snapshot);
  const historyValue: Record<string, { id: string }[]> = {};
  for (const key in snapshot.historyValue) {
    historyValue[key] = snapshot.historyValue[key].map((node) => ({ id: node.id }));
  }
  const { status, value, context } = snapshot as { status: string; value: unknown; context: unknown };
  return { status, value, historyValue, context, children: {} };
}

interface PersistedSnapshot {
  status?: string;
  value: unknown;
  historyValue?: Record<string, unknown>;
  context?: Record<string, unknown>;
  children?: Record<string, unknown>;
}

/**
 * A parked conversation costs Redis memory for as long as it waits, so the stored snapshot
 * leaves out what restoring rebuilds: XState's defaults (an active status, no history, no
 * children) and context entries still at their empty initial value ([], {}, 0, false, '').
 * Changing such an initial value is an incompatible change: bump the flow version.
 */
export function compact(flow: FlowDefinition, persisted: unknown): unknown {
  const { status, value, historyValue, context, children } = persisted as PersistedSnapshot;
  const empties = emptyDefaults(flow);
  const kept: Record<string, unknown> = {};
  for (const key in context) {
    const entry = context[key];
    // A filled list is never empty: skip serialising it (the company list is most of the context).
    const empty =
      key in empties && !(Array.isArray(entry) && entry.length > 0) && JSON.stringify(entry) === empties[key];
    if (!empty) kept[key] = entry;
  }
  return {
    ...(status !== 'active' ? { status } : {}),
    value,
    ...(historyValue && Object.keys(historyValue).length > 0 ? { historyValue } : {}),
    context: kept,
    ...(children && Object.keys(children).length > 0 ? { children } : {}),
  };
}

/** The full persisted snapshot XState expects, from a compact (or an older, full) stored one. */
export function expand(flow: FlowDefinition, stored: unknown): unknown {
  const { status, value, historyValue, context, children } = stored as PersistedSnapshot;
  const full: Record<string, unknown> = {};
  const empties = emptyDefaults(flow);
  for (const key in empties) full[key] = fresh(empties[key]);
  Object.assign(full, context);
  return {
    status: status ?? 'active',
    value,
    historyValue: historyValue ?? {},
    context: full,
    children: children ?? {},
  };
}

/** A new empty value for each conversation (a shared [] or {} could be changed by one and seen by all). */
function fresh(json: string): unknown {
  return json === '[]' ? [] : json === '{}' ? {} : (JSON.parse(json) as unknown);
}

const emptyDefaultsByFlow = new WeakMap<FlowDefinition, Record<string, string>>();

/** The flow's initial context entries that are empty, as JSON, computed once per flow. */
function emptyDefaults(flow: FlowDefinition): Record<string, string> {
  let empties = emptyDefaultsByFlow.get(flow);
  if (!empties) {
    const [initial] = initialTransition(flow.machine, flow.createInput({ now: 0 }));
    const isEmpty = (json: string) => ['[]', '{}', '0', 'false', '""', 'null'].includes(json);
    const entries = Object.entries(initial.context as Record<string, unknown>).map(
      ([key, entry]) => [key, JSON.stringify(entry)] as const,
    );
    empties = Object.fromEntries(entries.filter(([, json]) => json !== undefined && isEmpty(json)));
    emptyDefaultsByFlow.set(flow, empties);
  }
  return empties;
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
