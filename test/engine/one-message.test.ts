import { describe, expect, it } from '@jest/globals';
import { oneMessagePerTurn } from '../../src/engine/one-message.js';
import type { FlowEffect, PromptMessage } from '../../src/contract/messages.js';

const prompt = (text: string, extra: Partial<PromptMessage> = {}): FlowEffect => ({
  type: 'message',
  message: { kind: 'prompt', step: 's', text, ...extra },
});
const texts = (effects: FlowEffect[]) =>
  effects.map((effect) =>
    effect.type !== 'message'
      ? effect.type
      : effect.message.kind === 'prompt'
        ? effect.message.text
        : effect.message.kind,
  );

describe('one turn, one message', () => {
  it("joins the notices before a question into it, as sections, with the question's buttons and every link", () => {
    const [joined] = oneMessagePerTurn([
      prompt('Ok, salto Bar Sport.', { links: [{ label: 'A', url: 'https://a.example' }] }),
      prompt('Azienda 2 di 2.', { choices: [{ id: 'done', label: 'Fatto' }], loginLink: true, loginLabel: 'Accedi' }),
    ]);
    expect(joined).toEqual({
      type: 'message',
      message: {
        kind: 'prompt',
        step: 's',
        text: 'Ok, salto Bar Sport.\n\nAzienda 2 di 2.',
        sections: ['Ok, salto Bar Sport.', 'Azienda 2 di 2.'],
        choices: [{ id: 'done', label: 'Fatto' }],
        links: [{ label: 'A', url: 'https://a.example' }],
        loginLink: true,
        loginLabel: 'Accedi',
      },
    });
  });

  it('never puts buttons mid-message: a prompt with buttons ends its message; an agent speaks in their own', () => {
    const effects = oneMessagePerTurn([
      prompt('Q1', { choices: [{ id: 'a', label: 'A' }] }),
      prompt('N1'),
      { type: 'reminder.schedule', reminderId: 'r', delayMs: 1 },
      prompt('Q2', { choices: [{ id: 'b', label: 'B' }] }),
      { type: 'message', message: { kind: 'agent.text', agentName: 'Giulia', text: 'ciao' } },
      prompt('N2'),
    ]);
    expect(texts(effects)).toEqual(['Q1', 'N1\n\nQ2', 'reminder.schedule', 'agent.text', 'N2']);
  });
});
