import type { FlowDefinition, FlowStart, InboundEvent } from '../../src/engine/index.js';
import { compact, runTurn } from '../../src/engine/run-turn.js';

/** Part of the guide, then a hand-off and back (the deep history state), then a status request. */
const WALK: InboundEvent[] = [
  ...['ciao', 'sì', 'sì', 'fatto', 'fatto', 'fatto', 'fatto', 'sì', 'a@b.it', 'fatto', 'fatto'].map(
    (text): InboundEvent => ({ type: 'user.text', text }),
  ),
  { type: 'user.text', text: 'Bar Roma 01234560785, Trattoria' },
  { type: 'user.text', text: 'sì' },
  { type: 'user.text', text: 'operatore' },
  { type: 'agent.accepted', agentName: 'Ada' },
  { type: 'user.text', text: 'grazie' },
  { type: 'agent.closed', agentName: 'Ada' },
  { type: 'user.text', text: 'stato' },
  { type: 'user.text', text: 'ok' },
  { type: 'user.text', text: 'fatto' },
];

/** Walks WALK and compares each stored snapshot with XState's getPersistedSnapshot() of the live one, compacted. */
export function persistedLikeXState(flow: FlowDefinition, start: FlowStart) {
  let stored: unknown;
  const mismatches: { turn: number; ours: string; xstate: string; history: boolean }[] = [];
  let sawHistory = false;
  WALK.forEach((event, turn) => {
    const outcome = runTurn(flow, stored, event, start);
    const xstate = JSON.stringify(compact(flow, flow.machine.getPersistedSnapshot(outcome.live)));
    const ours = JSON.stringify(outcome.snapshot);
    const history = Object.keys(outcome.live.historyValue).length > 0;
    sawHistory ||= history;
    if (ours !== xstate) mismatches.push({ turn, ours, xstate, history });
    stored = outcome.snapshot;
  });
  if (!sawHistory) mismatches.push({ turn: -1, ours: 'no history state was entered', xstate: '', history: false });
  return { turns: WALK.length, mismatches };
}
