import { describe, expect, it } from '@jest/globals';
import {
  ADAPTIVE_CARD,
  CARD_VERSION,
  renderAgentCard,
  renderAnsweredCard,
  renderConfirmCard,
  renderMessage,
  renderPromptCard,
  renderTextCard,
  type AdaptiveCard,
} from '../../../adapters/teams/render-card.js';
import { parseSubmitValue } from '../../../adapters/teams/submit-value.js';
import type { PromptMessage } from '../../../src/engine/index.js';
import { cardProblems } from './inert.js';
import { readCard, submitActions } from './read-cards.js';
import { HOSTILE } from './tiny-flow.js';

const confirm = {
  title: `Unlink ${HOSTILE}?`,
  text: `You unlink ${HOSTILE} (VAT 01234567897).`,
  yes: 'Yes, unlink',
  no: 'Cancel',
};
const prompt: PromptMessage = {
  kind: 'prompt',
  step: 'invoice.confirm-unlink',
  text: `Company: ${HOSTILE}\nSecond line\n\nNew paragraph`,
  choices: [
    { id: 'unlink', label: `Unlink ${HOSTILE}`, style: 'danger', confirm },
    { id: 'skip', label: 'Skip', style: 'primary' },
    { id: 'later', label: 'Later' },
  ],
  links: [
    { label: 'Portal', url: 'https://app.teamsystemdigital.com/portale' },
    { label: 'Evil', url: 'javascript:alert(1)' },
  ],
};

describe('renderPromptCard', () => {
  const card = renderPromptCard(prompt);

  it('is an Adaptive Card of a version every Teams client renders, one text block per line', () => {
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: CARD_VERSION });
    expect(CARD_VERSION).toBe('1.2');
    expect(card.body.map((block) => block.spacing ?? '')).toEqual(['', '', 'Medium']);
    expect(readCard(card).text).toBe(`Company: ${HOSTILE} Second line New paragraph`);
  });

  it('has a submit button per choice carrying {choiceId}, styled, then open-URL buttons for web links only', () => {
    const actions = card.actions!;
    expect(actions.map((action) => [action.type, action.title, 'style' in action ? action.style : undefined])).toEqual([
      ['Action.Submit', `Unlink ${HOSTILE}`, 'destructive'], // titles are plain text in Adaptive Cards
      ['Action.Submit', 'Skip', 'positive'],
      ['Action.Submit', 'Later', undefined],
      ['Action.OpenUrl', 'Portal', undefined],
    ]);
    const [unlink, skip] = submitActions(card);
    expect(skip.data).toEqual({ tsid: 'choice', choiceId: 'skip', label: 'Skip', prompt: prompt.text });
    expect(unlink.data).toMatchObject({ choiceId: 'unlink', confirm });
  });

  it("each button's value parses back to what it carries", () => {
    for (const action of submitActions(card))
      expect(parseSubmitValue(JSON.parse(JSON.stringify(action.data)))).toEqual(action.data);
  });

  it('wraps in a message activity with the Adaptive Card content type', () => {
    expect(renderMessage(prompt)).toEqual({
      type: 'message',
      attachments: [{ contentType: ADAPTIVE_CARD, content: card }],
    });
  });
});

describe('the confirmation card', () => {
  const card = renderConfirmCard({ choiceId: 'unlink', label: 'Unlink', prompt: 'p', confirm, origin: 'm7' });

  it('names the company and its VAT number, with a destructive "yes" that counts as the choice', () => {
    expect(readCard(card)).toMatchObject({
      text: `Unlink ${HOSTILE}? You unlink ${HOSTILE} (VAT 01234567897).`,
      choices: ['Yes, unlink', 'Cancel'],
    });
    const [yes, no] = submitActions(card);
    expect(yes).toMatchObject({ style: 'destructive', data: { tsid: 'confirmed', choiceId: 'unlink', origin: 'm7' } });
    expect(no.data).toMatchObject({ tsid: 'cancelled', label: 'Cancel' });
    expect(no.style).toBeUndefined();
  });
});

describe('the answered card', () => {
  it('shows the question and the answer, with no button left', () => {
    const card = renderAnsweredCard('Unlink ACME?', 'Yes, unlink');
    expect(card.actions).toBeUndefined();
    expect(readCard(card)).toEqual({
      audience: 'customer',
      text: 'Unlink ACME? ✔ Yes, unlink',
      choices: [],
      links: [],
    });
  });
});

describe('an agent message', () => {
  it("is headed by the agent's name", () => {
    const card = renderAgentCard({ kind: 'agent.text', agentName: 'Giulia', text: 'Ciao!' });
    expect(readCard(card).text).toBe('Giulia: Ciao!');
    expect(card.body[0]).toMatchObject({ weight: 'Bolder', isSubtle: true });
  });
});

describe('a hostile company name', () => {
  const cards: [string, AdaptiveCard][] = [
    ['prompt', renderPromptCard(prompt)],
    ['confirmation', renderConfirmCard({ choiceId: 'unlink', confirm, origin: 'm1' })],
    ['answered', renderAnsweredCard(prompt.text, `Unlink ${HOSTILE}`)],
    ['agent', renderAgentCard({ kind: 'agent.text', agentName: HOSTILE, text: HOSTILE })],
    ['text', renderTextCard(HOSTILE)],
  ];

  it.each(cards)('renders inert in the %s card (no markup, mention, link), and still reads as typed', (_name, card) => {
    expect(cardProblems(card)).toEqual([]);
    expect(readCard(card).text).toContain(HOSTILE);
  });

  it('the check sees a raw name as markup (so it can fail)', () => {
    const raw = renderTextCard('x');
    raw.body[0].text = HOSTILE;
    expect(cardProblems(raw).length).toBeGreaterThan(0);
  });
});
