import type { types } from '@slack/bolt';
import { limitWords } from '../../src/engine/index.js';
import type { HandoffCard, ThreadNote } from '../../src/handoff/index.js';
import { plain, type SlackMessage } from './render-blocks.js';
import { fallbackText, fit, fitSections, SLACK_LIMITS as LIMITS } from './slack-limits.js';
import { splitText } from './slack-text.js';

/** The `action_id`s of the hand-off post's controls (the post itself says which hand-off). */
export const HANDOFF_ACTIONS = { take: 'handoff:take', handBack: 'handoff:handback', close: 'handoff:close' } as const;
export const HANDOFF_ACTION_PREFIX = 'handoff:';

// Block Kit limits: see slack-limits.ts for where each number comes from.
const SECTION_MAX = LIMITS.sectionText;
const FIELD_MAX = LIMITS.fieldText;
const FIELDS_PER_SECTION = LIMITS.fieldsPerSection;
const OPTIONS_MAX = 100;
/** The post stays far under 50 blocks: 3 sections of facts (30), 10 last messages, and the fixed ones. */
const FACT_SECTIONS_MAX = 3;
const LAST_MESSAGES_MAX = 10;
/** The helpdesk reads English (the agents' side is not localised). */
const words = limitWords('en');

/**
 * The hand-off post in the helpdesk channel. Every text is `plain_text` (the fallback is
 * escaped and posted with `mrkdwn: false`): a customer's `<!channel>`, mention or link
 * shows as typed in a channel with many members.
 */
export function renderHandoffCard(card: HandoffCard): SlackMessage {
  const blocks: types.KnownBlock[] = [
    { type: 'section', block_id: 'handoff.title', text: plain(fit(card.title, SECTION_MAX)) },
  ];
  const factsShown = FIELDS_PER_SECTION * FACT_SECTIONS_MAX;
  for (let i = 0; i < Math.min(card.facts.length, factsShown); i += FIELDS_PER_SECTION) {
    const fields = card.facts
      .slice(i, i + FIELDS_PER_SECTION)
      .map((fact) => plain(fit(`${fact.label}: ${fact.value}`, FIELD_MAX)));
    blocks.push({ type: 'section', fields });
  }
  if (card.facts.length > factsShown)
    blocks.push({ type: 'context', elements: [plain(words.more(card.facts.length - factsShown))] });
  if (card.lastMessages.length > 0) {
    blocks.push({ type: 'context', elements: [plain('Last messages from the customer:')] });
    const shown = card.lastMessages.slice(-LAST_MESSAGES_MAX);
    for (const text of shown) blocks.push({ type: 'section', text: plain(fit(`“${text}”`, SECTION_MAX)) });
  }
  blocks.push({ type: 'context', block_id: 'handoff.status', elements: [plain(fit(card.status, LIMITS.contextText))] });
  const controls = controlsOf(card);
  if (controls.length > 0) blocks.push({ type: 'actions', block_id: 'handoff.actions', elements: controls });
  return { text: fallbackText(`${card.title}. ${card.status}`, words.shortened), blocks };
}

/** A line in the hand-off's thread: the customer's words or the bot's note, inert. */
export function renderThreadNote(note: ThreadNote): SlackMessage {
  const from = note.from === 'customer' ? 'Customer:' : 'Bot:';
  const sections = fitSections(splitText(note.text, SECTION_MAX), LIMITS.blocksPerMessage - 1, words.shortened);
  return {
    text: fallbackText(`${from} ${note.text}`, words.shortened),
    blocks: [{ type: 'context', elements: [plain(from)] }, ...sections],
  };
}

function controlsOf(card: HandoffCard): (types.Button | types.StaticSelect)[] {
  const controls: (types.Button | types.StaticSelect)[] = [];
  if (card.canTake)
    controls.push({
      type: 'button',
      action_id: HANDOFF_ACTIONS.take,
      text: plain('Take it'),
      style: 'primary',
      value: 'take',
    });
  if (!card.open) return controls;
  controls.push({
    type: 'static_select',
    action_id: HANDOFF_ACTIONS.handBack,
    placeholder: plain('Hand back to the bot at…'),
    options: card.steps
      .slice(0, OPTIONS_MAX)
      .map((step) => ({ text: plain(fit(card.stepLabels?.[step] ?? step, LIMITS.optionText)), value: step })),
  });
  controls.push({
    type: 'button',
    action_id: HANDOFF_ACTIONS.close,
    text: plain('Close'),
    style: 'danger',
    value: 'close',
    confirm: {
      title: plain('Close this hand-off?'),
      text: plain('The customer goes back to the bot where they were.'),
      confirm: plain('Close'),
      deny: plain('Cancel'),
    },
  });
  return controls;
}
