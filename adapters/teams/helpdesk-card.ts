import type { HandoffCard, ThreadNote } from '../../src/handoff/index.js';
import { cardLines, clip, escapeCardText } from './card-text.js';
import { ADAPTIVE_CARD, card, type AdaptiveCard, type TextBlock } from './render-card.js';

/** What the hand-off card's buttons submit; the step comes from the card's choice input. */
export interface HandoffSubmit {
  tsid: 'handoff';
  op: 'take' | 'handback' | 'close';
  /** Filled in by Teams from the step picker (`Input.ChoiceSet` id). */
  handbackStep?: string;
}

export const STEP_INPUT_ID = 'handbackStep';

interface ChoiceSet {
  type: 'Input.ChoiceSet';
  id: typeof STEP_INPUT_ID;
  style: 'compact';
  placeholder: string;
  choices: { title: string; value: string }[];
}

interface HandoffAction {
  type: 'Action.Submit';
  title: string;
  data: HandoffSubmit;
  style?: 'positive' | 'destructive';
}

/** A helpdesk card: escaped TextBlocks, the step picker, submit buttons. */
export type HelpdeskCard = AdaptiveCard<TextBlock | ChoiceSet, HandoffAction>;

export interface HelpdeskCardActivity {
  type: 'message';
  attachments: { contentType: typeof ADAPTIVE_CARD; content: HelpdeskCard }[];
}

/**
 * The hand-off post in the helpdesk channel. Every text goes through `escapeCardText`, so
 * a customer's `<at>`, link or Markdown shows as typed; no mention entities are sent.
 */
export function renderHandoffCard(card: HandoffCard): HelpdeskCardActivity {
  const body: (TextBlock | ChoiceSet)[] = [block(card.title, { weight: 'Bolder' })];
  for (const fact of card.facts) body.push(block(`${fact.label}: ${fact.value}`));
  if (card.lastMessages.length > 0) {
    body.push(block('Last messages from the customer:', { isSubtle: true, spacing: 'Medium' }));
    for (const text of card.lastMessages) body.push(block(`“${text.replace(/\s+/g, ' ')}”`));
  }
  body.push(block(card.status, { isSubtle: true, spacing: 'Medium' }));
  const actions: HandoffAction[] = [];
  if (card.canTake)
    actions.push({ type: 'Action.Submit', title: 'Take it', style: 'positive', data: { tsid: 'handoff', op: 'take' } });
  if (card.open) {
    body.push({
      type: 'Input.ChoiceSet',
      id: STEP_INPUT_ID,
      style: 'compact',
      placeholder: 'Hand back to the bot at…',
      choices: card.steps.map((step) => ({ title: step, value: step })),
    });
    actions.push({ type: 'Action.Submit', title: 'Hand back', data: { tsid: 'handoff', op: 'handback' } });
    actions.push({
      type: 'Action.Submit',
      title: 'Close',
      style: 'destructive',
      data: { tsid: 'handoff', op: 'close' },
    });
  }
  return activityOf(body, actions);
}

/** A line in the hand-off's reply chain: the customer's words or the bot's note, inert. */
export function renderThreadNote(note: ThreadNote): HelpdeskCardActivity {
  const from = block(note.from === 'customer' ? 'Customer:' : 'Bot:', { weight: 'Bolder', isSubtle: true });
  const lines = cardLines(note.text).map((line) => block(line.text));
  return activityOf([from, ...(lines.length > 0 ? lines : [block(' ')])]);
}

/** A sentence for the agent who acted (a refused action), in the reply chain. */
export function renderAgentNotice(text: string): HelpdeskCardActivity {
  return activityOf([block(text, { isSubtle: true })]);
}

function block(text: string, extra: Partial<TextBlock> = {}): TextBlock {
  return { type: 'TextBlock', text: escapeCardText(clip(text, 2000)), wrap: true, ...extra };
}

function activityOf(body: HelpdeskCard['body'], actions: HandoffAction[] = []): HelpdeskCardActivity {
  const content: HelpdeskCard = card(body, actions);
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, content }] };
}
