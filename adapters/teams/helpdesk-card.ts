import { limitWords } from '../../src/engine/index.js';
import type { HandoffCard, ThreadNote } from '../../src/handoff/index.js';
import { fitActivity, fitLines, type TextBudget } from './card-limits.js';
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

/** The helpdesk reads English (the agents' side is not localised). */
const words = limitWords('en');
/** Our own lines (title, status): far longer than they ever are. */
const LINE_MAX = 500;
const LAST_MESSAGES_MAX = 10;

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
  return fitActivity((budget) => handoffActivity(card, budget));
}

function handoffActivity(card: HandoffCard, budget: TextBudget): HelpdeskCardActivity {
  // Facts and last messages share the budget's lines and characters; title and status always show.
  const lines = [
    ...card.facts.map((fact) => ({ text: `${fact.label}: ${fact.value}`, quote: false })),
    ...card.lastMessages
      .slice(-LAST_MESSAGES_MAX)
      .map((text) => ({ text: `“${text.replace(/\s+/g, ' ')}”`, quote: true })),
  ];
  const kept = fitLines(lines, budget, words.shortened);
  const body: (TextBlock | ChoiceSet)[] = [block(clip(card.title, LINE_MAX), { weight: 'Bolder' })];
  let quoting = false;
  for (const line of kept) {
    if (line.quote && !quoting)
      body.push(block('Last messages from the customer:', { isSubtle: true, spacing: 'Medium' }));
    quoting = line.quote;
    body.push(block(line.text));
  }
  body.push(block(clip(card.status, LINE_MAX), { isSubtle: true, spacing: 'Medium' }));
  const actions: HandoffAction[] = [];
  if (card.canTake)
    actions.push({ type: 'Action.Submit', title: 'Take it', style: 'positive', data: { tsid: 'handoff', op: 'take' } });
  if (card.open) {
    body.push({
      type: 'Input.ChoiceSet',
      id: STEP_INPUT_ID,
      style: 'compact',
      placeholder: 'Hand back to the bot at…',
      choices: card.steps.map((step) => ({ title: card.stepLabels?.[step] ?? step, value: step })),
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
  return fitActivity((budget) => {
    const from = block(note.from === 'customer' ? 'Customer:' : 'Bot:', { weight: 'Bolder', isSubtle: true });
    const lines = fitLines(cardLines(note.text), { ...budget, blocks: budget.blocks - 1 }, words.shortened);
    return activityOf([from, ...(lines.length > 0 ? lines.map((line) => block(line.text)) : [block(' ')])]);
  });
}

/** A sentence for the agent who acted (a refused action), in the reply chain. */
export function renderAgentNotice(text: string): HelpdeskCardActivity {
  return fitActivity((budget) => activityOf([block(clip(text, budget.chars), { isSubtle: true })]));
}

/** One line, escaped; its length is bounded by the caller (`fitLines` or `clip`). */
function block(text: string, extra: Partial<TextBlock> = {}): TextBlock {
  return { type: 'TextBlock', text: escapeCardText(text), wrap: true, ...extra };
}

function activityOf(body: HelpdeskCard['body'], actions: HandoffAction[] = []): HelpdeskCardActivity {
  const content: HelpdeskCard = card(body, actions);
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, content }] };
}
