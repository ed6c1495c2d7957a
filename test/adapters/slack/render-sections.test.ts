import { describe, expect, it } from '@jest/globals';
import { renderAnswered, renderMessage } from '../../../adapters/slack/render-blocks.js';
import type { PromptMessage } from '../../../src/engine/index.js';

const turn: PromptMessage = {
  kind: 'prompt',
  step: 'invoice.review-data',
  text: 'Ok, salto Bar Sport.\n\nAzienda 2 di 2: Pizzeria Da Mario.',
  sections: ['Ok, salto Bar Sport.', 'Azienda 2 di 2: Pizzeria Da Mario.'],
  choices: [{ id: 'done', label: 'Fatto' }],
  links: [{ label: 'Portale', url: 'https://portal.example' }],
};

describe('one turn, one Slack message', () => {
  it('shows each thing the turn said as its own section, the question last, its buttons after it', () => {
    const { blocks } = renderMessage(turn);
    expect(blocks.map((block) => block.type)).toEqual(['section', 'section', 'actions', 'actions']);
    expect(blocks[1]).toMatchObject({ text: { text: 'Azienda 2 di 2: Pizzeria Da Mario.' } });
    expect(blocks[2]).toMatchObject({ block_id: 'choices' });
  });

  it('redraws the answered message from what was posted: every section kept, the buttons gone, the answer added', () => {
    const posted = renderMessage(turn);
    const question = { ...turn, text: 'Azienda 2 di 2: Pizzeria Da Mario.', sections: undefined };
    const answered = renderAnswered(question, 'done', posted)!;
    expect(answered.blocks.map((block) => block.type)).toEqual(['section', 'section', 'actions', 'context']);
    expect(JSON.stringify(answered.blocks)).toContain('Ok, salto Bar Sport.');
    expect(JSON.stringify(answered.blocks)).not.toContain('"choices"');
    expect(renderAnswered(question, 'not-offered', posted)).toBeUndefined();
  });
});
