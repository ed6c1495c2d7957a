import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTsidFlow, defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import { Browser } from './browser.js';
import { newKey, startLoginHarness, type LoginHarness } from './login-harness.js';

// The check "does the conversation still wait for a sign-in?" and the turn that delivers the
// sign-in are two steps: a conversation may leave in between. The login module here reads a
// status that always says "waiting" (the read that lost that race), so only the turn's own
// outcome can tell.
let h: LoginHarness;

beforeAll(async () => {
  h = await startLoginHarness({
    flow: createTsidFlow({ ...defaultFlowSettings, loginEnabled: true }),
    toVerify: [{ type: 'session.start' }, { type: 'session.start', step: 'tsid.verify' }],
    turns: (engine) => ({
      handle: (inbound) => engine.handle(inbound),
      status: async (key) => {
        const status = await engine.status(key);
        return status && { ...status, awaitingLogin: true };
      },
    }),
  });
});
afterAll(() => h.close());

describe('a conversation that left the sign-in while the callback ran', () => {
  it('gets no code page for a sign-in it ignored: the browser hears "use the newest link"', async () => {
    const key = newKey();
    const link = await h.newLoginLink(key);
    const chosen = h.delivered.at(-1)!.message;
    const typeEmail =
      chosen.kind === 'prompt' ? chosen.choices!.find((c) => c.id.startsWith('type-email'))! : undefined;
    await h.engine.handle({ key, event: { type: 'user.choice', choiceId: typeEmail!.id } });

    const visit = await new Browser().follow(link);
    expect(visit.body).not.toMatch(/<strong>\d{6}<\/strong>/);
    expect(visit.response!.status).toBe(410);
    expect(visit.body).toContain('usa il più recente nella chat');
  });
});
