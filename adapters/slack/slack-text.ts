/**
 * Slack's message syntax, both ways: escaping text we send, decoding text users typed.
 * Pure functions.
 */

/**
 * Escapes `&`, `<` and `>`: after this nothing in the text can become a mention,
 * a channel ping (`<!channel>`) or a link. Used for the notification fallback `text`
 * (sent with `mrkdwn: false`, so `*` and `_` stay literal too).
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Turns a message as Slack delivers it into what the user typed: `<@U1|ann>` → `@ann`,
 * `<#C1|general>` → `#general`, `<!channel>` → `@channel`, `<https://x|label>` → `label`,
 * `<mailto:a@b.it|a@b.it>` → `a@b.it`, then `&lt;` `&gt;` `&amp;` decoded.
 */
export function decodeSlackText(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (_match, inner: string) => {
    const [target = '', label] = splitOnce(inner, '|');
    if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    if (label !== undefined) return label;
    return target.startsWith('mailto:') ? target.slice('mailto:'.length) : target;
  });
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Cuts `text` to at most `max` characters (code points), marking the cut with `…`. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * Splits text into pieces of at most `max` UTF-16 units (never fewer characters than Slack
 * counts; a pair is never split), preferring paragraph, then line, then word boundaries
 * (a section block holds 3,000 characters).
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const head = headOf(rest, max);
    const cut = Math.max(head.lastIndexOf('\n\n'), head.lastIndexOf('\n'), head.lastIndexOf(' '));
    const at = cut > max / 2 ? cut : head.length;
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

/** The longest run of whole code points from the start of `text` within `max` UTF-16 units. */
export function headOf(text: string, max: number): string {
  let end = 0;
  for (const char of text) {
    if (end + char.length > max) break;
    end += char.length;
  }
  return text.slice(0, end);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
