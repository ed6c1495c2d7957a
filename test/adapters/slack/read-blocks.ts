import type { BotOutput } from '../../transcripts/driver.js';

interface TextObject {
  type: string;
  text: string;
}

/** A button as it sits in a posted message, with the block it is in. */
export interface PostedButton {
  blockId: string;
  element: Record<string, unknown> & { text: TextObject; url?: string; action_id: string };
}

/**
 * Reads the blocks the bot posted back into what the customer sees. Only `plain_text`
 * is expected: any `mrkdwn` object fails the read, since user-typed text must stay inert.
 */
export function readBlocks(blocks: unknown): BotOutput {
  const texts: string[] = [];
  const buttons = buttonsOf(blocks);
  for (const block of asBlocks(blocks)) {
    if (block.type === 'section' && block.text) texts.push(plainText(block.text));
    if (block.type === 'context') for (const element of block.elements ?? []) texts.push(plainText(element));
  }
  return {
    audience: 'customer',
    text: texts.join('\n').replace(/\s+/g, ' ').trim(),
    choices: buttons.filter((b) => b.blockId.startsWith('choices')).map((b) => plainText(b.element.text)),
    links: buttons.filter((b) => b.element.url).map((b) => ({ label: plainText(b.element.text), url: b.element.url! })),
  };
}

/** Every button in the blocks, in order. */
export function buttonsOf(blocks: unknown): PostedButton[] {
  return asBlocks(blocks)
    .filter((block) => block.type === 'actions')
    .flatMap((block) =>
      (block.elements ?? []).map((element) => ({
        blockId: block.block_id ?? '',
        element: element as PostedButton['element'],
      })),
    );
}

function plainText(object: unknown): string {
  const text = object as TextObject;
  if (text?.type !== 'plain_text') throw new Error(`expected plain_text, got ${JSON.stringify(object)}`);
  return text.text;
}

function asBlocks(blocks: unknown): { type: string; block_id?: string; text?: unknown; elements?: unknown[] }[] {
  if (!Array.isArray(blocks)) throw new Error(`blocks are not an array: ${JSON.stringify(blocks)}`);
  return blocks;
}
