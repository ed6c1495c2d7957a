/**
 * Text hygiene at the engine's edge: what customers and agents type is normalised once,
 * before any flow sees it, so no channel can carry poison into a stored snapshot or a
 * payload. Pure functions, no dependencies (flows use `truncateText` too).
 */

// A lone surrogate cannot be encoded (encodeURIComponent throws "URI malformed", which
// wedges a Slack delivery); a well-formed string has none. The regex stands in for
// `String.prototype.toWellFormed`, which the ES2023 lib this project compiles against lacks.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Control characters (C0, DEL, C1) other than tab and newline: NUL and friends break logs,
// terminals and some platforms' parsers, and mean nothing in a chat message.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

// Bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069): an unclosed
// U+202E reverses the rest of the bot's own sentence wherever the customer's text is echoed.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Customer or agent text as the engine accepts it: lone surrogates → U+FFFD, line breaks
 * as `\n`, Unicode NFC, no control characters but tab and newline, no bidi overrides or
 * isolates. Idempotent: `cleanText(cleanText(x)) === cleanText(x)`.
 */
export function cleanText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .normalize('NFC')
    .replace(CONTROLS, '')
    .replace(BIDI_CONTROLS, '');
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The first `max` user-perceived characters (grapheme clusters) of `text`: never cuts inside
 * a surrogate pair, an emoji sequence or a letter and its accents, as `slice()` can.
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (count === max) break;
    end += segment.length;
    count += 1;
  }
  return text.slice(0, end);
}
