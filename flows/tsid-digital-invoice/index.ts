/**
 * The TS ID + Digital Invoice guide as a flow the engine runs.
 * @packageDocumentation
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { FlowDefinition } from '../../src/contract/flow-definition.js';
import { interpret } from './interpret.js';
import { createTsidMachine } from './machine.js';
import { currentQuestion } from './question.js';
import { statusView } from './status.js';
import type { FlowContext, FlowInput, FlowSettings } from './types.js';

export type { FlowContext, FlowSettings, Company, Identity } from './types.js';
export { STEP_IDS, type StepId } from './steps.js';
export { STEP_TARGETS, createTsidMachine } from './machine.js';
import { unstamp } from './stamp.js';
export { unstamp };

export const FLOW_ID = 'tsid-digital-invoice';
/** Bump on an incompatible change of states or context, and teach `upgrade` the old shape. */
export const FLOW_VERSION = 3;

/** Settings for local use and tests; production takes them from the configuration. */
export const defaultFlowSettings: FlowSettings = {
  links: { cassaInCloud: 'https://app.cassanova.com', tsDigitalPortal: 'https://app.teamsystemdigital.com/portale' },
  inviteRemindersMs: [30 * 60_000, 24 * 3_600_000],
  greenCheckMs: 10 * 60_000,
  handoffTimeoutMs: 15 * 60_000,
  loginEnabled: false,
};

/**
 * Version 2 split two steps into one action per message (`settingsPage`, `relinkData`).
 * Every version-1 state is still there with its meaning, and `stage` restores as 0.
 * Version 3 binds a sign-in only with its one-time code: a sign-in waiting at the old
 * "is this your account?" (no code to check) starts the login step again, with a new link.
 */
function upgrade(snapshot: unknown, fromVersion: number): { snapshot: unknown } | { fallbackStep: string } | undefined {
  if (fromVersion !== 1 && fromVersion !== 2) return undefined;
  const prompt = (snapshot as { context?: { prompt?: string } }).context?.prompt;
  return prompt === 'tsid.verify-confirm' ? { fallbackStep: 'tsid.verify' } : { snapshot };
}

/** A login link's sign-in counts while the link is offered, and after a failed or unavailable answer. */
function awaitsLogin(snapshot: AnyMachineSnapshot): boolean {
  return ['link', 'failed', 'unavailable'].some((state) =>
    snapshot.matches({ main: { guide: { partA: { verify: state } } } }),
  );
}

/** The flow with this deployment's links, reminder delays and login mode. */
export function createTsidFlow(settings: FlowSettings = defaultFlowSettings): FlowDefinition {
  const machine = createTsidMachine(settings);
  const contextOf = (snapshot: AnyMachineSnapshot) => snapshot.context as FlowContext;
  return {
    id: FLOW_ID,
    version: FLOW_VERSION,
    machine,
    createInput: (start): FlowInput => ({
      locale: start.locale,
      step: start.step,
      guideChanged: start.guideChanged,
      recordLost: start.recordLost,
    }),
    continues: (event) => event.type === 'user.choice' && unstamp(event.choiceId).stamp !== undefined,
    interpret,
    currentStep: (snapshot) => contextOf(snapshot).step,
    status: (snapshot) => ({ ...statusView(contextOf(snapshot)), awaitingLogin: awaitsLogin(snapshot) }),
    question: (snapshot, choiceId) => currentQuestion(contextOf(snapshot), choiceId, settings),
    upgrade,
  };
}
