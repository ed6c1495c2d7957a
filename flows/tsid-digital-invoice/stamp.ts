import type { PromptMessage } from '../../src/contract/messages.js';
import type { FlowContext } from './types.js';

/**
 * A button's id carries the question it answers (`done@invoice.unlink#1`: "Fatto" for the
 * second company's unlink step; `done@invoice.relink.1#0`: the first company's relink step,
 * its second action), so a click on an older message is recognised as such
 * instead of answering whatever is asked now.
 */
const SEPARATOR = '@';

/** The question being asked now: the step, its action after the first, and the company for company steps. */
export function currentStamp(context: FlowContext): string {
  return `${context.step}${context.stage > 0 ? `.${context.stage}` : ''}#${context.current}`;
}

export function stamped(message: PromptMessage, context: FlowContext): PromptMessage {
  if (!message.choices) return message;
  const stamp = currentStamp(context);
  return {
    ...message,
    choices: message.choices.map((choice) => ({ ...choice, id: `${choice.id}${SEPARATOR}${stamp}` })),
  };
}

/** A clicked id split into the choice and the question it was for (none: an unstamped id). */
export function unstamp(id: string): { choiceId: string; stamp?: string } {
  const at = id.indexOf(SEPARATOR);
  return at < 0 ? { choiceId: id } : { choiceId: id.slice(0, at), stamp: id.slice(at + 1) };
}
