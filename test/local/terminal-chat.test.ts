import { PassThrough } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { runTerminalChat, terminalDeliver, TERMINAL_KEY } from '../../adapters/local/terminal-chat.js';
import { createTsidFlow } from '../../flows/tsid-digital-invoice/index.js';
import { ConversationEngine, type Choice } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { MemoryConversationStore } from '../../src/store/conversation-store.js';

describe('terminal chat', () => {
  it('shows choices as numbers, takes a number as a click, prints links, and plays the agent', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += String(chunk)));
    let choices: Choice[] = [];
    const clock = new ManualClock();
    const engine = new ConversationEngine({
      flow: createTsidFlow(),
      store: new MemoryConversationStore(() => clock.now()),
      scheduler: new MemoryReminderScheduler(),
      clock,
      deliver: terminalDeliver(output, (latest) => (choices = latest)),
    });
    const input = new PassThrough();
    const chat = runTerminalChat({ turns: engine, input, output }, () => choices);
    input.end('ciao\n2\n1\noperatore\n/agent take Giulia\n/agent say Giulia: eccomi\n/quit\n');
    await chat;
    expect(printed).toContain('     2) No');
    expect(printed).toContain('Sei un amministratore del portale?');
    expect(printed).toContain('🔗 Portale Cassa in Cloud: https://app.cassanova.com');
    expect(printed).toContain('[helpdesk] hand-off requested (customer-asked) at tsid.login');
    expect(printed).toContain('Giulia (helpdesk): eccomi');
    expect((await engine.status(TERMINAL_KEY))?.step).toBe('tsid.login');
  });
});
