import type { PromptMessage } from '../../src/contract/messages.js';
import { buildPrompt } from './prompts.js';
import { currentStamp, stamped, unstamp } from './stamp.js';
import type { FlowContext, FlowSettings } from './types.js';

/**
 * The question a clicked id answers, rebuilt from the conversation (the prompt last asked,
 * stamped as it was sent), when the id is one of the choices asked now; undefined for a
 * click on an older question or an id never offered.
 */
export function currentQuestion(
  context: FlowContext,
  clickedId: string,
  settings: FlowSettings,
): PromptMessage | undefined {
  const { choiceId, stamp } = unstamp(clickedId);
  if (stamp !== currentStamp(context) || !(context.offered ?? []).some((choice) => choice.id === choiceId))
    return undefined;
  const question = stamped(buildPrompt(context.prompt, context, settings), context);
  return question.choices?.some((choice) => choice.id === clickedId) ? question : undefined;
}
