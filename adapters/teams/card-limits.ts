/**
 * Teams' size limit on what a bot sends, in one place. The Bot Connector refuses an
 * activity past it with 413 `MessageSizeTooBig`. Microsoft has documented about 28 KB
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages,
 * earlier revisions), then 40 KB and now 100 KB counted as UTF-16; the smallest published
 * figure is what we stay under.
 */
export const TEAMS_ACTIVITY_MAX_BYTES = 28 * 1024;
/**
 * What our part of the activity (type + attachments) may take, as UTF-8 JSON: the
 * connector adds the envelope (from, recipient, conversation, serviceUrl, channelData,
 * ids: about 1 KB with Teams' long ids), so 4 KB are left for it.
 */
export const CARD_BUDGET_BYTES = 24 * 1024;

/** How much text one card may carry: characters in all, TextBlocks, and one line's length. */
export interface TextBudget {
  chars: number;
  blocks: number;
}

/** The first try: far more than any message of the guide, so only outliers are cut. */
export const FULL_BUDGET: TextBudget = { chars: 12_000, blocks: 40 };

/** The serialised size of an activity, as the connector will receive our part of it. */
export function activityBytes(activity: unknown): number {
  return Buffer.byteLength(JSON.stringify(activity), 'utf8');
}

/**
 * Renders with smaller and smaller text budgets until the activity fits `CARD_BUDGET_BYTES`
 * (escaping and copies of the prompt in the buttons' data make the size hard to predict
 * from the text alone, so it is measured). Each step halves the budget; at the smallest
 * the card holds a few words and the cut marker.
 */
export function fitActivity<T>(render: (budget: TextBudget) => T, maxBytes = CARD_BUDGET_BYTES): T {
  let budget = FULL_BUDGET;
  for (;;) {
    const activity = render(budget);
    if (activityBytes(activity) <= maxBytes || budget.chars <= 16) return activity;
    budget = { chars: Math.floor(budget.chars / 2), blocks: Math.max(4, Math.floor(budget.blocks / 2)) };
  }
}

/**
 * Cuts a card's lines to the budget: at most `blocks` lines (the last one kept says
 * `shortened`), at most `chars` characters in all, cut between code points.
 */
export function fitLines<L extends { text: string }>(lines: L[], budget: TextBudget, shortened: string): L[] {
  const kept: L[] = [];
  let left = budget.chars;
  let cut = false;
  for (const line of lines) {
    if (kept.length === budget.blocks - 1 && lines.length > budget.blocks) {
      cut = true;
      break;
    }
    const chars = Array.from(line.text);
    if (chars.length > left) {
      kept.push({ ...line, text: chars.slice(0, Math.max(0, left)).join('') });
      cut = true;
      break;
    }
    kept.push(line);
    left -= chars.length;
  }
  if (!cut) return kept;
  const last = kept.at(-1);
  if (last) kept[kept.length - 1] = { ...last, text: `${last.text.trimEnd()}… ${shortened}` };
  return kept;
}
