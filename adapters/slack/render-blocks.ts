import type { types } from '@slack/bolt';
import type { AgentTextMessage, Choice, Link, PromptMessage } from '../../src/engine/index.js';
import { clip, escapeSlackText, splitText } from './slack-text.js';

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

// Block Kit limits (https://docs.slack.dev/reference/block-kit): section 3,000, button 75,
// confirm title 100, confirm text 300, confirm buttons 30, actions block 25 elements.
const SECTION_MAX = 3000;
const BUTTON_MAX = 75;
const ACTIONS_MAX = 25;

/**
 * Renders a customer message as Block Kit. Every text is a `plain_text` object, so
 * nothing the customer typed (a company name) can become markup, a mention or a link.
 */
export function renderMessage(message: PromptMessage | AgentTextMessage): SlackMessage {
  if (message.kind === 'agent.text') {
    const from = `${message.agentName}:`;
    return {
      text: escapeSlackText(`${from} ${message.text}`),
      blocks: [{ type: 'context', elements: [plain(clip(from, SECTION_MAX))] }, ...sections(message.text)],
    };
  }
  const blocks: types.KnownBlock[] = sections(message.text);
  chunk(message.choices ?? [], ACTIONS_MAX).forEach((choices, index) => {
    blocks.push({ type: 'actions', block_id: blockId(CHOICES_BLOCK, index), elements: choices.map(choiceButton) });
  });
  chunk(message.links ?? [], ACTIONS_MAX).forEach((links, index) => {
    blocks.push({ type: 'actions', block_id: blockId(LINKS_BLOCK, index), elements: links.map(linkButton) });
  });
  return { text: escapeSlackText(message.text), blocks };
}

/**
 * The message after a click: the question without its choice buttons, plus the answer, so an
 * old button cannot be clicked twice. `question` is the flow's own rebuild of what it asked,
 * never the blocks a click's payload carries (a payload can say anything). Undefined when
 * `choiceId` is not one of the question's choices.
 */
export function renderAnswered(question: PromptMessage, choiceId: string): SlackMessage | undefined {
  const choice = question.choices?.find((offered) => offered.id === choiceId);
  if (!choice) return undefined;
  const { blocks } = renderMessage({ ...question, choices: undefined });
  return {
    text: escapeSlackText(choice.label),
    blocks: [...blocks, { type: 'context', elements: [plain(clip(`✔ ${choice.label}`, SECTION_MAX))] }],
  };
}

/** A plain sentence as a message (the runtime's own words). */
export function renderText(text: string): SlackMessage {
  return { text: escapeSlackText(text), blocks: sections(text) };
}

function sections(text: string): types.SectionBlock[] {
  return splitText(text, SECTION_MAX).map((piece) => ({ type: 'section', text: plain(piece || ' ') }));
}

function choiceButton(choice: Choice): types.Button {
  const button: types.Button = {
    type: 'button',
    action_id: `${CHOICE_ACTION}${choice.id}`,
    value: choice.id,
    text: plain(clip(choice.label, BUTTON_MAX)),
  };
  if (choice.style) button.style = choice.style;
  if (choice.confirm) {
    button.confirm = {
      title: plain(clip(choice.confirm.title, 100)),
      text: plain(clip(choice.confirm.text, 300)),
      confirm: plain(clip(choice.confirm.yes, 30)),
      deny: plain(clip(choice.confirm.no, 30)),
      style: choice.style === 'danger' ? 'danger' : 'primary',
    };
  }
  return button;
}

function linkButton(link: Link, index: number): types.Button {
  return {
    type: 'button',
    action_id: `${LINK_ACTION}${index}`,
    text: plain(clip(link.label, BUTTON_MAX)),
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
