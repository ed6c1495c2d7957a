import type { types } from '@slack/bolt';
import { escapeSlackText, headOf } from './slack-text.js';

/**
 * Slack's documented size limits, in one place. Past them Slack refuses the call
 * (`invalid_blocks`, `msg_too_long`) or cuts the message; the renderers stay under them
 * by construction and say so when they cut ("(shortened)", "… and N more").
 * Lengths are counted in UTF-16 code units (JavaScript's `length`), which is never less
 * than Slack's "characters", and cuts fall between code points, never inside a pair.
 */
export const SLACK_LIMITS = {
  // https://docs.slack.dev/reference/block-kit/blocks: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs".
  blocksPerMessage: 50,
  blocksPerView: 100,
  // https://docs.slack.dev/reference/block-kit/blocks/section-block: text max 3,000; fields: 10 items, 2,000 each.
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  // https://docs.slack.dev/reference/block-kit/blocks/header-block: text max 150.
  headerText: 150,
  // https://docs.slack.dev/reference/block-kit/blocks/context-block: 10 elements; a text object holds 3,000.
  contextElements: 10,
  contextText: 3000,
  // https://docs.slack.dev/reference/block-kit/blocks/actions-block: 25 elements.
  actionsElements: 25,
  // https://docs.slack.dev/reference/block-kit/block-elements/button-element: text 75, value 2,000.
  buttonText: 75,
  // https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object:
  // title 100, text 300, confirm and deny 30.
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  // https://docs.slack.dev/reference/block-kit/composition-objects/option-object: text 75, value 150.
  optionText: 75,
  // https://docs.slack.dev/reference/methods/chat.postMessage ("Truncating content"): text over
  // 40,000 characters is cut (and refused `msg_too_long`).
  messageText: 40_000,
} as const;

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with `marker` when cut. The cut is
 * between code points (a surrogate pair is never split).
 */
export function fit(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  return `${headOf(text, max - marker.length)}${marker}`;
}

/**
 * The notification fallback `text`: escaped (nothing becomes a mention or a link), then
 * cut to Slack's limit without splitting an escape (`&amp;`) or a code point.
 */
export function fallbackText(text: string, shortened: string, max: number = SLACK_LIMITS.messageText): string {
  const escaped = escapeSlackText(text);
  if (escaped.length <= max) return escaped;
  const budget = max - shortened.length - 2;
  let out = '';
  for (const char of text) {
    const piece = escapeSlackText(char);
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return `${out}… ${shortened}`;
}

/**
 * Sections for a text, at most `maxBlocks` of them; when the text needs more, the last one
 * kept ends with `shortened`.
 */
export function fitSections(pieces: string[], maxBlocks: number, shortened: string): types.SectionBlock[] {
  const kept = pieces.slice(0, Math.max(1, maxBlocks));
  if (pieces.length > kept.length) {
    const last = kept.length - 1;
    kept[last] = `${fit(kept[last], SLACK_LIMITS.sectionText - shortened.length - 1, '…')} ${shortened}`;
  }
  return kept.map((piece) => ({ type: 'section', text: { type: 'plain_text', text: piece || ' ', emoji: false } }));
}
