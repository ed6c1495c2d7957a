import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition } from 'xstate';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { compact, expand, restore, runTurn } from '../../src/engine/run-turn.js';
import { persistedLikeXState } from './persisted-like-xstate.js';
import type { InboundEvent } from '../../src/engine/index.js';

const flow = createTsidFlow();
const start = { locale: 'it' as const, now: 1_767_600_000_000 };

/**
 * The guide a few answers in, as the engine stores it, and as XState itself persists it: `full`
 * comes from XState's own transitions and getPersistedSnapshot(), never through expand().
 */
function fewAnswersIn() {
  const events: InboundEvent[] = [
    { type: 'user.text', text: 'ciao' },
    { type: 'user.text', text: 'sì' },
    { type: 'user.text', text: 'boh' },
  ];
  let stored: unknown;
  for (const event of events) stored = runTurn(flow, stored, event, start).snapshot;
  // The first message only opens the guide (as runTurn does); each later one is a transition.
  let [snapshot] = initialTransition(flow.machine, flow.createInput(start));
  for (const event of events.slice(1)) [snapshot] = transition(flow.machine, snapshot, flow.interpret(event, snapshot));
  const full = flow.machine.getPersistedSnapshot(snapshot) as Record<string, unknown>;
  return { stored: stored as Record<string, unknown>, full };
}

describe('the stored snapshot', () => {
  it('leaves out XState defaults and context entries still at their empty initial value', () => {
    const { stored, full } = fewAnswersIn();
    expect(Object.keys(stored).sort()).toEqual(['context', 'value']);
    expect(full).toMatchObject({ status: 'active', historyValue: {}, children: {} });
    const context = stored.context as Record<string, unknown>;
    const fullContext = full.context as Record<string, unknown>;
    expect(context).not.toHaveProperty('companies'); // [] at the start, and still
    const left = Object.keys(fullContext).filter((key) => !(key in context));
    expect(left.length).toBeGreaterThan(0);
    expect(
      left
        .map((key) => JSON.stringify(fullContext[key]))
        .every((json) => ['[]', '{}', '0', 'false', '""', 'null'].includes(json)),
    ).toBe(true);
    expect(context.step).toBe(fullContext.step);
    expect(JSON.stringify(stored).length).toBeLessThan(JSON.stringify(full).length * 0.8);
  });

  it('expands to exactly what XState persisted, and compacts that back to what is stored', () => {
    const { stored, full } = fewAnswersIn();
    expect(expand(flow, stored)).toEqual(full);
    expect(compact(flow, full)).toEqual(stored);
  });

  it('still restores a full snapshot stored before compaction', () => {
    const { full } = fewAnswersIn();
    const next = runTurn(flow, full, { type: 'cmd.status' }, start);
    expect(next.step).toBe(flow.currentStep(restore(flow, full)));
  });

  it("is, turn after turn, XState's own getPersistedSnapshot() compacted, history states included", () => {
    const { turns, mismatches } = persistedLikeXState(flow, start);
    expect(turns).toBe(20);
    expect(mismatches).toEqual([]);
  });
});
