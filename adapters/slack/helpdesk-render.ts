import type { types } from '@slack/bolt';
import type { HandoffCard, ThreadNote } from '../../src/handoff/index.js';
import { plain, type SlackMessage } from './render-blocks.js';
import { clip, escapeSlackText, splitText } from './slack-text.js';

/** The `action_id`s of the hand-off post's controls (the post itself says which hand-off). */
export const HANDOFF_ACTIONS = { take: 'handoff:take', handBack: 'handoff:handback', close: 'handoff:close' } as const;
export const HANDOFF_ACTION_PREFIX = 'handoff:';

// Block Kit limits: section text 3,000, a field 2,000, 10 fields per section, 100 options per select.
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_PER_SECTION = 10;
const OPTIONS_MAX = 100;

/**
 * The hand-off post in the helpdesk channel. Every text is `plain_text` (the fallback is
 * escaped and posted with `mrkdwn: false`): a customer's `<!channel>`, mention or link
 * shows as typed in a channel with many members.
 */
export function renderHandoffCard(card: HandoffCard): SlackMessage {
  const blocks: types.KnownBlock[] = [
    { type: 'section', block_id: 'handoff.title', text: plain(clip(card.title, SECTION_MAX)) },
  ];
  for (let i = 0; i < card.facts.length; i += FIELDS_PER_SECTION) {
    const fields = card.facts
      .slice(i, i + FIELDS_PER_SECTION)
      .map((fact) => plain(clip(`${fact.label}: ${fact.value}`, FIELD_MAX)));
    blocks.push({ type: 'section', fields });
  }
  if (card.lastMessages.length > 0) {
    blocks.push({ type: 'context', elements: [plain('Last messages from the customer:')] });
    for (const text of card.lastMessages) blocks.push({ type: 'section', text: plain(clip(`“${text}”`, SECTION_MAX)) });
  }
  blocks.push({ type: 'context', block_id: 'handoff.status', elements: [plain(card.status)] });
  const controls = controlsOf(card);
  if (controls.length > 0) blocks.push({ type: 'actions', block_id: 'handoff.actions', elements: controls });
  return { text: escapeSlackText(`${card.title}. ${card.status}`), blocks };
}

/** A line in the hand-off's thread: the customer's words or the bot's note, inert. */
export function renderThreadNote(note: ThreadNote): SlackMessage {
  const from = note.from === 'customer' ? 'Customer:' : 'Bot:';
  const sections = splitText(note.text, SECTION_MAX).map((piece): types.SectionBlock => ({
    type: 'section',
    text: plain(piece || ' '),
  }));
  return {
    text: escapeSlackText(`${from} ${note.text}`),
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
    options: card.steps.slice(0, OPTIONS_MAX).map((step) => ({ text: plain(clip(step, 75)), value: step })),
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
