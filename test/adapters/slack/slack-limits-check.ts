/**
 * What Slack's Web API refuses for size, as the fake answers it (see
 * adapters/slack/slack-limits.ts for the documented numbers). Undefined: within limits.
 */
const MAX_BLOCKS = { message: 50, view: 100 };
const SECTION_MAX = 3000;
const TEXT_MAX = 40_000;

/** Slack counts characters: code points. */
const length = (text: unknown) => (typeof text === 'string' ? Array.from(text).length : 0);

export function slackLimitError(method: string, args: Record<string, unknown>): string | undefined {
  if (method === 'views.publish') {
    const blocks = (args.view as { blocks?: unknown[] } | undefined)?.blocks ?? [];
    return blocksError(blocks, MAX_BLOCKS.view);
  }
  if (!['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'respond'].includes(method)) return undefined;
  if (length(args.text) > TEXT_MAX) return 'msg_too_long';
  return Array.isArray(args.blocks) ? blocksError(args.blocks, MAX_BLOCKS.message) : undefined;
}

function blocksError(blocks: unknown[], max: number): string | undefined {
  if (blocks.length > max) return 'invalid_blocks';
  const tooLong = blocks.some((block) => {
    const { type, text } = block as { type?: string; text?: { text?: unknown } };
    return type === 'section' && length(text?.text) > SECTION_MAX;
  });
  return tooLong ? 'invalid_blocks' : undefined;
}
