import { ADAPTIVE_CARD, type AdaptiveCard, type SubmitAction } from '../../../adapters/teams/render-card.js';
import { shownText } from './inert.js';
import type { BotOutput } from '../../transcripts/driver.js';

/** The Adaptive Card an activity carries; throws when it carries none (we send only cards). */
export function cardOf(activity: Record<string, unknown>): AdaptiveCard {
  const attachments = activity.attachments as { contentType?: string; content?: AdaptiveCard }[] | undefined;
  const card = attachments?.find((attachment) => attachment.contentType === ADAPTIVE_CARD)?.content;
  if (!card || card.type !== 'AdaptiveCard')
    throw new Error(`not a card activity: ${JSON.stringify(activity).slice(0, 300)}`);
  return card;
}

/** A card as the customer sees it: its text (Markdown escapes undone), buttons and links. */
export function readCard(card: AdaptiveCard): BotOutput {
  const text = card.body.map((block) => shownText(block.text)).join(' ');
  const actions = card.actions ?? [];
  return {
    audience: 'customer',
    text: text.replace(/\s+/g, ' ').trim(),
    choices: actions.filter((action) => action.type === 'Action.Submit').map((action) => action.title),
    links: actions.flatMap((action) =>
      action.type === 'Action.OpenUrl' ? [{ label: action.title, url: action.url }] : [],
    ),
  };
}

export function submitActions(card: AdaptiveCard): SubmitAction[] {
  return (card.actions ?? []).filter((action): action is SubmitAction => action.type === 'Action.Submit');
}

/** A confirmation card: the one whose "yes" counts as the confirmed choice. */
export function isConfirmCard(card: AdaptiveCard): boolean {
  return submitActions(card).some((action) => action.data.tsid === 'confirmed');
}
