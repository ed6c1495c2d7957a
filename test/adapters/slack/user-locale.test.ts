import { describe, expect, it } from '@jest/globals';
import { toLocale, UserLocales } from '../../../adapters/slack/user-locale.js';

describe('UserLocales', () => {
  it('maps Slack locales to ours', () => {
    expect([toLocale('it-IT'), toLocale('en-GB'), toLocale('EN-us'), toLocale('de-DE'), toLocale(undefined)]).toEqual([
      'it',
      'en',
      'en',
      undefined,
      undefined,
    ]);
  });

  it('asks Slack once per user, Italian when Slack says nothing useful', async () => {
    const asked: string[] = [];
    const answers: Record<string, string | undefined> = { U1: 'en-US', U2: 'de-DE', U3: undefined };
    const locales = new UserLocales({ lookup: async (user) => (asked.push(user), answers[user]) });
    expect(await locales.get('T1', 'U1')).toBe('en');
    expect(await locales.get('T1', 'U1')).toBe('en');
    expect(await locales.get('T1', 'U2')).toBe('it');
    expect(await locales.get('T1', 'U3')).toBe('it');
    expect(asked).toEqual(['U1', 'U2', 'U3']);
  });

  it('does not cache a failed lookup, and expires entries', async () => {
    let now = 0;
    let fail = true;
    let calls = 0;
    const locales = new UserLocales({
      ttlMs: 1000,
      now: () => now,
      lookup: async () => {
        calls++;
        if (fail) throw new Error('users.info failed');
        return 'en-GB';
      },
    });
    expect(await locales.get('T1', 'U1')).toBe('it');
    fail = false;
    expect(await locales.get('T1', 'U1')).toBe('en');
    expect(await locales.get('T1', 'U1')).toBe('en');
    now = 1001;
    expect(await locales.get('T1', 'U1')).toBe('en');
    expect(calls).toBe(3);
  });
});
