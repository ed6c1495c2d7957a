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
    turns: { handle: async () => ({ status: 'done', messages: [] }) },
    clock,
  });
  return { login, clock };
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
