import { describe, expect, it } from '@jest/globals';
import { createOidcLogin, MemoryLoginLinkStore, type LoginLinkStore } from '../../src/auth/index.js';
import type { ConversationKey, OutboundMessage } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';

const key: ConversationKey = { channel: 'teams', tenant: 'T1', user: 'U1' };

function setup(store: LoginLinkStore = new MemoryLoginLinkStore()) {
  const clock = new ManualClock();
  const login = createOidcLogin({
    oidc: { issuer: 'https://id.example.test', clientId: 'bot' }, // never contacted here
    publicBaseUrl: 'https://bot.example.test/',
    linkStore: store,
    turns: { handle: async () => ({ status: 'done', messages: [] }), status: async () => undefined },
    clock,
  });
  return { login, clock };
}

// Random ids from 64 symbols: two of SAMPLE share 8 leading characters with odds about SAMPLE² / 2 / 64⁸ ≈ 1e-8.
const SAMPLE = 2000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
// Chi-square with 63 degrees of freedom: mean 63, sd 11; 200 is more than 12 sd out (never by chance),
// while a character that never changes scores about SAMPLE × 63 = 126,000.
const CHI_SQUARE_BOUND = 200;

/** The most leading characters any two ids share (neighbours once sorted). */
function longestSharedPrefix(ids: string[]): number {
  const sorted = [...ids].sort();
  let longest = 0;
  for (let i = 1; i < sorted.length; i++) {
    let n = 0;
    while (n < sorted[i].length && sorted[i][n] === sorted[i - 1][n]) n++;
    longest = Math.max(longest, n);
  }
  return longest;
}

/** Pearson's chi-square of the characters against a uniform draw from ALPHABET. */
function chiSquare(chars: string[]): number {
  const expected = chars.length / ALPHABET.length;
  const counts = new Map<string, number>();
  for (const char of chars) counts.set(char, (counts.get(char) ?? 0) + 1);
  return [...ALPHABET].reduce((sum, char) => sum + ((counts.get(char) ?? 0) - expected) ** 2 / expected, 0);
}

describe('prepareMessage (attaching a personal login link)', () => {
  it("appends a link with the flow's label to a prompt that asks for one, keeping its other links", async () => {
    const store = new MemoryLoginLinkStore();
    const { login, clock } = setup(store);
    const message: OutboundMessage = {
      kind: 'prompt',
      step: 'tsid.verify',
      text: 'Accedi',
      loginLink: true,
      loginLabel: 'Accedi con TS ID',
      links: [{ label: 'Guida', url: 'https://help.example.test' }],
    };
    const prepared = await login.prepareMessage(message, key);
    expect(prepared.kind === 'prompt' && prepared.links).toEqual([
      { label: 'Guida', url: 'https://help.example.test' },
      {
        label: 'Accedi con TS ID',
        url: expect.stringMatching(/^https:\/\/bot\.example\.test\/auth\/login\/[\w-]{32}$/),
      },
    ]);
    const linkId = (prepared as { links: { url: string }[] }).links[1].url.split('/').at(-1)!;
    expect(await store.findLink(linkId)).toEqual({
      status: 'valid',
      link: { key, createdAt: clock.now(), expiresAt: clock.now() + 600_000 },
    });
  });

  it('makes a new, unguessable link every time', async () => {
    const { login } = setup();
    const message: OutboundMessage = { kind: 'prompt', step: 'tsid.verify', text: 'x', loginLink: true };
    const urls = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const prepared = await login.prepareMessage(message, key);
      urls.add((prepared as { links: { url: string }[] }).links[0].url);
    }
    expect(urls.size).toBe(200);
  });

  it('draws link ids at random: 32 base64url characters (192 bits), no long shared prefix, every position uniform', async () => {
    const { login } = setup();
    const message: OutboundMessage = { kind: 'prompt', step: 'tsid.verify', text: 'x', loginLink: true };
    const ids: string[] = [];
    for (let i = 0; i < SAMPLE; i++) {
      const prepared = await login.prepareMessage(message, key);
      ids.push((prepared as { links: { url: string }[] }).links[0].url.split('/').at(-1)!);
    }
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/); // 32 × log2(64) = 192 bits at most
    expect(longestSharedPrefix(ids)).toBeLessThan(8);
    const byPosition = Array.from({ length: 32 }, (_, position) => chiSquare(ids.map((id) => id[position])));
    expect(Math.max(...byPosition)).toBeLessThan(CHI_SQUARE_BOUND);
  });

  it('uses a bilingual label when the flow gave none', async () => {
    const { login } = setup();
    const prepared = await login.prepareMessage(
      { kind: 'prompt', step: 'tsid.verify', text: 'x', loginLink: true },
      key,
    );
    expect((prepared as { links: { label: string }[] }).links[0].label).toMatch(/Accedi.*Sign in/);
  });

  it('leaves every other message alone', async () => {
    const { login } = setup();
    const messages: OutboundMessage[] = [
      { kind: 'prompt', step: 'tsid.verify', text: 'x' },
      { kind: 'agent.text', agentName: 'Ada', text: 'hi' },
      { kind: 'handoff.relay', text: 'hi' },
    ];
    for (const message of messages) expect(await login.prepareMessage(message, key)).toBe(message);
  });
});
