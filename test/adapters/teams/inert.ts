import type { AdaptiveCard } from '../../../adapters/teams/render-card.js';

const MARKUP = new Set([...'\\`*_[](){}<>~#|!&+-']);

/**
 * Why a TextBlock text would not read as plain text in Teams, or undefined when it is
 * inert: an unescaped Markdown/HTML/mention/date-function character, or something an
 * auto-linker takes for a URL, a domain or an e-mail address.
 */
export function markupIn(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i++; // escaped: the next character is literal
      continue;
    }
    if (MARKUP.has(text[i])) return `unescaped "${text[i]}" at ${i} in ${JSON.stringify(text)}`;
  }
  if (/:\/\//.test(text)) return `a URL scheme in ${JSON.stringify(text)}`;
  if (/[\p{L}\p{N}]\.[\p{L}\p{N}]/u.test(text)) return `a domain-like "x.y" in ${JSON.stringify(text)}`;
  if (/^\s*\d+\.(\s|$)/.test(text)) return `a numbered-list marker in ${JSON.stringify(text)}`;
  return undefined;
}

/**
 * What a reader sees of a TextBlock text, read as CommonMark does and independently of the
 * adapter's escaping: a backslash before ASCII punctuation is dropped (an escape), any other
 * backslash stays, and the invisible word joiner (U+2060) shows nothing.
 */
export function shownText(text: string): string {
  return text.replaceAll('\u2060', '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Every problem in a card: inert text blocks, and no mention entities anywhere. */
export function cardProblems(card: AdaptiveCard): string[] {
  const problems = card.body.flatMap((block) => markupIn(block.text) ?? []);
  if (JSON.stringify(card).includes('"entities"')) problems.push('the card declares entities (mentions)');
  return problems;
}
