/**
 * Text for Adaptive Card TextBlocks, which Teams runs through a CommonMark subset (bold,
 * italic, lists, links) plus its own `<at>` mentions, `{{DATE()}}` functions and URL
 * auto-linking. Pure functions.
 */

/** Every character that could start markup in a TextBlock: escaped with a backslash. */
const SPECIAL = /[\\`*_[\](){}<>~#|!&+-]/g;
/** Invisible, and not part of a domain or a scheme: breaks auto-linking, shows nothing. */
const WORD_JOINER = '\u2060';

/**
 * Makes text inert in a TextBlock: nothing in it can become a mention, a link, emphasis,
 * a list, HTML or a date function, and it reads the same. Markup characters get a
 * backslash (CommonMark escapes), and a word joiner goes before each dot inside a word and
 * after each `://`, so neither `https://evil.example` nor `evil.example` is auto-linked.
 */
export function escapeCardText(text: string): string {
  return text
    .replace(SPECIAL, (char) => `\\${char}`)
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}])/gu, `${WORD_JOINER}.`)
    .replace(/^(\s*\d+)\./gmu, '$1\\.') // "1." at the start of a line would open a list
    .replace(/:\/\//g, `:${WORD_JOINER}//`);
}

/**
 * Splits text into the lines a card shows. A single `\n` is no line break in a TextBlock
 * (Markdown needs a blank line), so each line becomes its own block; a blank line before
 * a line becomes extra space above it.
 */
export function cardLines(text: string): { text: string; gapBefore: boolean }[] {
  const lines: { text: string; gapBefore: boolean }[] = [];
  let gap = false;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      gap = lines.length > 0;
      continue;
    }
    lines.push({ text: line, gapBefore: gap });
    gap = false;
  }
  return lines;
}

/** Cuts `text` to at most `max` characters (code points), marking the cut with `…`. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
