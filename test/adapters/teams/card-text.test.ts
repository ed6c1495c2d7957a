import { describe, expect, it } from '@jest/globals';
import { cardLines, clip, escapeCardText } from '../../../adapters/teams/card-text.js';
import { markupIn, shownText } from './inert.js';
import { HOSTILE } from './tiny-flow.js';

const samples = [
  HOSTILE,
  'plain words',
  'a\\b \\*not bold\\* C:\\path\\',
  '{{DATE(2017-02-14T06:00:00Z, SHORT)}}',
  '1. first\n2) second\n- bullet\n+ plus\n# heading\n> quote',
  'mail mario.rossi@example.it or visit www.example.com, https://x.example/a?b=c&d=e',
  '`code` ~~strike~~ | table | ![img](x.png) &lt;at&gt;',
  'P.IVA 01234567897 — Cassa in Cloud. Fine.',
  '',
];

describe('escapeCardText', () => {
  it.each(samples)('leaves nothing that Teams would render as markup, a mention or a link: %j', (text) => {
    expect(markupIn(escapeCardText(text))).toBeUndefined();
  });

  it.each(samples)('reads back as the original text: %j', (text) => {
    expect(shownText(escapeCardText(text))).toBe(text);
  });

  it('the reader drops only CommonMark escapes and word joiners', () => {
    expect(shownText('\\*a\\b\u2060.c\\\\')).toBe('*a\\b.c\\');
  });

  it('the checker itself catches each kind of markup in raw text', () => {
    expect(markupIn(HOSTILE)).toMatch(/unescaped "<"/);
    expect(markupIn('see evil.example')).toMatch(/domain/);
    expect(markupIn('go https://x')).toMatch(/URL scheme/);
    expect(markupIn('1. first')).toMatch(/unescaped|numbered/);
    expect(markupIn('plain words')).toBeUndefined();
  });
});

describe('cardLines', () => {
  it('one block per line; a blank line becomes space above the next', () => {
    expect(cardLines('a\nb\n\n\nc\r\nd')).toEqual([
      { text: 'a', gapBefore: false },
      { text: 'b', gapBefore: false },
      { text: 'c', gapBefore: true },
      { text: 'd', gapBefore: false },
    ]);
    expect(cardLines('\n\n')).toEqual([]);
  });
});

describe('clip', () => {
  it('cuts by code points and marks the cut', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('😀😀😀', 2)).toBe('😀…');
  });
});
