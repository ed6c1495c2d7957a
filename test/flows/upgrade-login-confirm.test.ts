import { describe, expect, it } from '@jest/globals';
import { createTsidFlow, defaultFlowSettings, FLOW_VERSION } from '../../flows/tsid-digital-invoice/index.js';
import {
  ConversationEngine,
  conversationId,
  type ConversationKey,
  type PromptMessage,
} from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';

const KEY: ConversationKey = { channel: 'slack', tenant: 'T1', user: 'U-upgrade' };

describe('a conversation saved by flow version 2 at "is this your account?"', () => {
  it('starts the login step again with a new link: its "yes" binds nothing', async () => {
    const clock = new ManualClock();
    const store = new MemoryConversationStore(() => clock.now());
    const said: PromptMessage[] = [];
    const engine = new ConversationEngine({
      flow: createTsidFlow({ ...defaultFlowSettings, loginEnabled: true }),
      store,
      scheduler: new MemoryReminderScheduler(),
      clock,
      deliver: async ({ message }) => void (message.kind === 'prompt' && said.push(message)),
    });
    await engine.handle({ key: KEY, event: { type: 'session.start', step: 'tsid.verify' }, locale: 'it' });
    const signedIn = { issuer: 'https://id.test', subject: 'other', email: 'altro@example.it', emailVerified: true };
    await engine.handle({ key: KEY, event: { type: 'auth.completed', ...signedIn } });
    // As version 2 stored it: the identity waiting for "Sì, è il mio", no code.
    const id = conversationId(KEY);
    const record = (await store.load(id))!;
    const snapshot = record.snapshot as { context: Record<string, unknown> };
    const v2 = { ...snapshot, context: { ...snapshot.context, prompt: 'tsid.verify-confirm', pendingCode: undefined } };
    await store.save({ ...record, snapshot: v2, flowVersion: 2, revision: record.revision + 1 }, record.revision, []);

    await engine.handle({ key: KEY, event: { type: 'user.text', text: 'sì' } });
    const loaded = (await store.load(id))!;
    expect(loaded.flowVersion).toBe(FLOW_VERSION);
    const context = (loaded.snapshot as { context: Record<string, unknown> }).context;
    expect(context.identity).toBeUndefined();
    expect(context.pendingIdentity).toBeUndefined();
    expect(said.at(-1)).toMatchObject({ step: 'tsid.verify', loginLink: true });
  });
});
