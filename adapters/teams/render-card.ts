import {
  limitWords,
  type AgentTextMessage,
  type Choice,
  type Link,
  type Locale,
  type PromptMessage,
} from '../../src/engine/index.js';
import { fitActivity, fitLines, FULL_BUDGET, type TextBudget } from './card-limits.js';
import { cardLines, clip, escapeCardText } from './card-text.js';
import type { ConfirmSpec, SubmitValue } from './submit-value.js';

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
/**
 * The lowest schema version with everything these cards use (action `style` came in 1.2),
 * so every Teams client, mobile included, renders them.
 */
export const CARD_VERSION = '1.2';

export interface TextBlock {
  type: 'TextBlock';
  /** Escaped with `escapeCardText`: never raw user or flow text. */
  text: string;
  wrap: true;
  weight?: 'Bolder';
  isSubtle?: true;
  spacing?: 'Medium';
}

export interface SubmitAction {
  type: 'Action.Submit';
  /** Plain text: action titles are not Markdown. */
  title: string;
  data: SubmitValue;
  style?: 'positive' | 'destructive';
}

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** An Adaptive Card of the elements and actions given (customer cards: TextBlocks, submits and links). */
export interface AdaptiveCard<Element = TextBlock, Action = SubmitAction | OpenUrlAction> {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: Element[];
  actions?: Action[];
  msteams: { width: 'Full' };
}

/** A message activity carrying one card, as `sendActivity`/`updateActivity` take it. */
export interface CardActivity {
  type: 'message';
  attachments: { contentType: typeof ADAPTIVE_CARD; content: AdaptiveCard }[];
}

// Titles longer than this are cut by Teams anyway; the whole activity stays under Teams'
// size limit (card-limits.ts): every renderer takes a text budget, and `fitActivity` picks it.
const TITLE_MAX = 80;
const PROMPT_IN_DATA_MAX = 2000;
/** A name or an answer shown in bold above or below the text. */
const HEADING_MAX = 200;

/**
 * The card for a customer message: the prompt with its buttons, or an agent's words, cut
 * (and saying so) where the whole activity would pass Teams' size limit.
 */
export function renderMessage(message: PromptMessage | AgentTextMessage): CardActivity {
  return fitActivity((budget) =>
    cardActivity(message.kind === 'agent.text' ? renderAgentCard(message, budget) : renderPromptCard(message, budget)),
  );
}

/** A prompt: its text, a submit button per choice, an open-URL button per link. */
export function renderPromptCard(message: PromptMessage, budget: TextBudget = FULL_BUDGET): AdaptiveCard {
  const prompt = clip(message.text, Math.min(PROMPT_IN_DATA_MAX, budget.chars));
  const actions = [
    ...(message.choices ?? []).map((choice) => choiceAction(choice, prompt)),
    ...(message.links ?? []).flatMap(linkAction),
  ];
  return card(textBlocks(message.text, budget, message.locale), actions);
}

/** What an agent wrote, headed by the agent's name so it reads as theirs, not the bot's. */
export function renderAgentCard(message: AgentTextMessage, budget: TextBudget = FULL_BUDGET): AdaptiveCard {
  const from: TextBlock = {
    type: 'TextBlock',
    text: escapeCardText(clip(`${message.agentName}:`, HEADING_MAX)),
    wrap: true,
    weight: 'Bolder',
    isSubtle: true,
  };
  return card([from, ...textBlocks(message.text, { ...budget, blocks: budget.blocks - 1 }, message.locale)]);
}

/**
 * The confirmation a choice asked for, as its own card: the flow's title and text (which
 * name the company and its VAT number), a destructive "yes" that counts as the choice,
 * and a "no" that only closes the question. `origin` is the card the choice was on.
 */
export function renderConfirmCard(
  request: { choiceId: string; label?: string; prompt?: string; confirm: ConfirmSpec; origin?: string },
  budget: TextBudget = FULL_BUDGET,
  locale?: Locale,
): AdaptiveCard {
  const { confirm } = request;
  const title: TextBlock = {
    type: 'TextBlock',
    text: escapeCardText(clip(confirm.title, HEADING_MAX)),
    wrap: true,
    weight: 'Bolder',
  };
  const prompt = clip(`${confirm.title}\n${confirm.text}`, Math.min(PROMPT_IN_DATA_MAX, budget.chars));
  const yes: SubmitAction = {
    type: 'Action.Submit',
    title: clip(confirm.yes, TITLE_MAX),
    style: 'destructive',
    data: { tsid: 'confirmed', choiceId: request.choiceId, label: confirm.yes, prompt, origin: request.origin },
  };
  const no: SubmitAction = {
    type: 'Action.Submit',
    title: clip(confirm.no, TITLE_MAX),
    data: { tsid: 'cancelled', label: confirm.no, prompt },
  };
  return card([title, ...textBlocks(confirm.text, { ...budget, blocks: budget.blocks - 1 }, locale)], [yes, no]);
}

/** A card after its answer: the question and the answer, no buttons left to click. */
export function renderAnsweredCard(
  prompt: string,
  answer: string,
  budget: TextBudget = FULL_BUDGET,
  locale?: Locale,
): AdaptiveCard {
  const answered: TextBlock = {
    type: 'TextBlock',
    text: escapeCardText(clip(`✔ ${answer}`, HEADING_MAX)),
    wrap: true,
    weight: 'Bolder',
    spacing: 'Medium',
  };
  return card([...textBlocks(prompt, { ...budget, blocks: budget.blocks - 1 }, locale), answered]);
}

/** A card with text only (runtime sentences such as "try again in a minute"). */
export function renderTextCard(text: string, budget: TextBudget = FULL_BUDGET, locale?: Locale): AdaptiveCard {
  return card(textBlocks(text, budget, locale));
}

export function cardActivity(content: AdaptiveCard): CardActivity {
  return { type: 'message', attachments: [{ contentType: ADAPTIVE_CARD, content }] };
}

function choiceAction(choice: Choice, prompt: string): SubmitAction {
  const action: SubmitAction = {
    type: 'Action.Submit',
    title: clip(choice.label, TITLE_MAX),
    data: {
      tsid: 'choice',
      choiceId: choice.id,
      label: choice.label,
      prompt,
      ...(choice.confirm ? { confirm: choice.confirm } : {}),
    },
  };
  if (choice.style === 'danger') action.style = 'destructive';
  if (choice.style === 'primary') action.style = 'positive';
  return action;
}

/** Only web links become buttons: a `javascript:` or `file:` URL is dropped. */
function linkAction(link: Link): OpenUrlAction[] {
  let url: URL;
  try {
    url = new URL(link.url);
  } catch {
    return [];
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [];
  return [{ type: 'Action.OpenUrl', title: clip(link.label, TITLE_MAX), url: url.href }];
}

/** The text's lines as TextBlocks, within `budget` (the last one kept says "(shortened)" when cut). */
function textBlocks(text: string, budget: TextBudget, locale: Locale | undefined): TextBlock[] {
  const lines = fitLines(cardLines(text), budget, limitWords(locale).shortened);
  if (lines.length === 0) return [{ type: 'TextBlock', text: ' ', wrap: true }];
  return lines.map((line) => ({
    type: 'TextBlock',
    text: escapeCardText(line.text),
    wrap: true,
    ...(line.gapBefore ? { spacing: 'Medium' as const } : {}),
  }));
}

/** The card every message of ours uses: full width, this version, actions only when there are some. */
export function card<Element, Action>(body: Element[], actions: Action[] = []): AdaptiveCard<Element, Action> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
  };
}
