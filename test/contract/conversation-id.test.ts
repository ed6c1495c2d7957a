import { describe, expect, it } from '@jest/globals';
import { conversationId, conversationKeyOf, type ConversationKey } from '../../src/contract/messages.js';

describe('conversationId', () => {
  it('leaves the ids real platforms give as they always were (stored conversations keep their keys)', () => {
    expect(conversationId({ channel: 'slack', tenant: 'T0123ABCD', user: 'U0456EFGH' })).toBe(
      'slack:T0123ABCD:U0456EFGH',
    );
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    expect(conversationId({ channel: 'teams', tenant, user: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB-x' })).toBe(
      `teams:${tenant}:29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB-x`,
    );
    expect(conversationId({ channel: 'local', tenant: 'web', user: 'aZ09-_' })).toBe('local:web:aZ09-_');
  });

  it('never gives two identities one id, and gives each its key back, whatever characters their parts hold (20,000 random pairs)', () => {
    const alphabet = ['a', 'B', '1', ':', '%', '{', '}', '#', '\n', '\u0000', '-', '\uD83D', '\uDE00', '%3A', '%003A'];
    const random = mulberry32(42);
    const part = () =>
      Array.from({ length: 1 + Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
        '',
      );
    const seen = new Map<string, string>();
    for (let i = 0; i < 20_000; i++) {
      const key: ConversationKey = { channel: random() < 0.5 ? 'slack' : 'teams', tenant: part(), user: part() };
      const identity = JSON.stringify(key);
      const id = conversationId(key);
      expect(conversationKeyOf(id)).toEqual(key);
      const earlier = seen.get(id);
      if (earlier !== undefined) expect(earlier).toBe(identity);
      seen.set(id, identity);
    }
    expect(seen.size).toBeGreaterThan(15_000);
  });

  it('keeps braces, `#`, controls and lone surrogates out of the id (hash tags, hand-off ids, log lines)', () => {
    const id = conversationId({ channel: 'teams', tenant: 't{1}#', user: 'u}\r\n{\u0000\uD83D' });
    expect(id).not.toMatch(/[{}#\p{Cc}]/u);
    expect(id).not.toMatch(/[\uD800-\uDFFF]/);
  });
});

/** A small seeded PRNG (mulberry32): the same pairs on every run. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
