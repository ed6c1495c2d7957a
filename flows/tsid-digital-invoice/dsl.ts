import type { CompanyStatus, HandoffSummary } from '../../src/contract/messages.js';
import type { CopyKey } from './copy.js';
import type { PromptId } from './prompts.js';
import type { StepId } from './steps.js';

/** Short names for the parameterised actions and guards of setup.ts, so the chart reads like the guide. */
export const ask = (prompt: PromptId) => ({ type: 'ask', params: { prompt } }) as const;
export const notice = (key: CopyKey) => ({ type: 'notice', params: { key } }) as const;
export const enter = (step: StepId) => ({ type: 'enterStep', params: { step } }) as const;
export const picked = (id: string) => ({ type: 'choice', params: { id } }) as const;
export const companyIs = (status: CompanyStatus) => ({ type: 'setCompanyStatus', params: { status } }) as const;
export const handOff = (reason: HandoffSummary['reason']) => ({ type: 'requestHandoff', params: { reason } }) as const;
export const remindIn = (name: string, delayMs: number) =>
  ({ type: 'scheduleReminder', params: { name, delayMs } }) as const;

/** A step state's entry: record the step, then ask its prompt (one action: see `ask` in setup.ts). */
export const stepEntry = (step: StepId, prompt: PromptId = step as PromptId) => [
  { type: 'ask', params: { prompt, step } } as const,
];
/** The entry of a step's later action (one action per message): same step, the action's own question. */
export const stageEntry = (stage: number, prompt: PromptId) => [{ type: 'ask', params: { prompt, stage } } as const];
