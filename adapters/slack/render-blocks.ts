import type { types } from '@slack/bolt';
import {
  limitWords,
  type AgentTextMessage,
  type Choice,
  type Link,
  type PromptMessage,
} from '../../src/engine/index.js';
import { fallbackText, fit, fitSections, SLACK_LIMITS as LIMITS } from './slack-limits.js';
import { clip, splitText } from './slack-text.js';

/** What `chat.postMessage` / `chat.update` get: blocks plus the notification fallback. */
export interface SlackMessage {
  /** Notification fallback, escaped; post it with `mrkdwn: false`. */
  text: string;
  blocks: types.KnownBlock[];
}

/** The prefixes of our buttons' `action_id`s: a choice counts as an answer, a link does not. */
export const CHOICE_ACTION = 'choice:';
export const LINK_ACTION = 'link:';
/** Block ids: the choices block is what an answered message loses. */
export const CHOICES_BLOCK = 'choices';
const LINKS_BLOCK = 'links';

// Block Kit limits: see slack-limits.ts for where each number comes from.
const SECTION_MAX = LIMITS.sectionText;
const BUTTON_MAX = LIMITS.buttonText;
const ACTIONS_MAX = LIMITS.actionsElements;
/** Buttons beyond this many actions blocks are not shown (the flow offers a handful). */
const ACTIONS_BLOCKS_MAX = 4;

/**
 * Renders a customer message as Block Kit. Every text is a `plain_text` object, so
 * nothing the customer typed (a company name) can become markup, a mention or a link.
 */
export function renderMessage(message: PromptMessage | AgentTextMessage): SlackMessage {
  const { shortened } = limitWords(message.locale);
  if (message.kind === 'agent.text') {
    const from = `${message.agentName}:`;
    return {
      text: fallbackText(`${from} ${message.text}`, shortened),
      blocks: [
        { type: 'context', elements: [plain(fit(from, LIMITS.contextText))] },
        ...sections(message.text, LIMITS.blocksPerMessage - 1, shortened),
      ],
    };
  }
  const actions: types.ActionsBlock[] = [];
  chunk(message.choices ?? [], ACTIONS_MAX).forEach((choices, index) => {
    actions.push({ type: 'actions', block_id: blockId(CHOICES_BLOCK, index), elements: choices.map(choiceButton) });
  });
  chunk(message.links ?? [], ACTIONS_MAX).forEach((links, index) => {
    actions.push({ type: 'actions', block_id: blockId(LINKS_BLOCK, index), elements: links.map(linkButton) });
  });
  const shown = actions.slice(0, ACTIONS_BLOCKS_MAX);
  // One turn, one message: each thing the turn said is its own section(s), the buttons last.
  const pieces = (message.sections ?? [message.text]).flatMap((text) => splitText(text, SECTION_MAX));
  const blocks = [...fitSections(pieces, LIMITS.blocksPerMessage - shown.length, shortened), ...shown];
  return { text: fallbackText(message.text, shortened), blocks };
}

/**
 * The message after a click: the question without its choice buttons, plus the answer, so an
 * old button cannot be clicked twice. `question` is the flow's own rebuild of what it asked,
 * never the blocks a click's payload carries (a payload can say anything). Undefined when
 * `choiceId` is not one of the question's choices.
 */
export function renderAnswered(
  question: PromptMessage,
  choiceId: string,
  posted?: SlackMessage,
): SlackMessage | undefined {
  const choice = question.choices?.find((offered) => offered.id === choiceId);
  if (!choice) return undefined;
  // What we posted ourselves (the whole turn: notice and question) when this instance still
  // has it, else the question alone; either way without its choice buttons.
  const blocks = posted
    ? posted.blocks.filter((block) => !(block.type === 'actions' && block.block_id?.startsWith(CHOICES_BLOCK)))
    : renderMessage({ ...question, choices: undefined }).blocks;
  return {
    text: fallbackText(choice.label, limitWords(question.locale).shortened),
    blocks: [...blocks, { type: 'context', elements: [plain(clip(`✔ ${choice.label}`, SECTION_MAX))] }],
  };
}

/** A plain sentence as a message (the runtime's own words). */
export function renderText(text: string, locale?: PromptMessage['locale']): SlackMessage {
  const { shortened } = limitWords(locale);
  return { text: fallbackText(text, shortened), blocks: sections(text, LIMITS.blocksPerMessage, shortened) };
}

/** The text as sections of at most 3,000 characters, at most `maxBlocks` of them. */
function sections(text: string, maxBlocks: number, shortened: string): types.SectionBlock[] {
  return fitSections(splitText(text, SECTION_MAX), maxBlocks, shortened);
}

function choiceButton(choice: Choice): types.Button {
  const button: types.Button = {
    type: 'button',
    action_id: `${CHOICE_ACTION}${choice.id}`,
    value: choice.id,
    text: plain(fit(choice.label, BUTTON_MAX)),
  };
  if (choice.style) button.style = choice.style;
  if (choice.confirm) {
    button.confirm = {
      title: plain(fit(choice.confirm.title, LIMITS.confirmTitle)),
      text: plain(fit(choice.confirm.text, LIMITS.confirmText)),
      confirm: plain(fit(choice.confirm.yes, LIMITS.confirmButton)),
      deny: plain(fit(choice.confirm.no, LIMITS.confirmButton)),
      style: choice.style === 'danger' ? 'danger' : 'primary',
    };
  }
  return button;
}

function linkButton(link: Link, index: number): types.Button {
  return {
    type: 'button',
    action_id: `${LINK_ACTION}${index}`,
    text: plain(fit(link.label, BUTTON_MAX)),
    url: link.url,
  };
}

/** A plain_text object: Slack shows it verbatim (no mrkdwn, no mentions, no links). */
export function plain(text: string): types.PlainTextElement {
  return { type: 'plain_text', text, emoji: false };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function blockId(base: string, index: number): string {
  return index === 0 ? base : `${base}.${index}`;
}
