import { describe, expect, it } from '@jest/globals';
import type { HandoffSummary, StatusView } from '../../src/engine/index.js';
import { cardBase } from '../../src/handoff/handoff-card.js';

const summary: HandoffSummary = {
  reason: 'invite-missing',
  step: 'invoice.portal-fallback',
  locale: 'it',
  email: 'mario.rossi@example.it',
  companies: [
    { name: 'Pizzeria Mario', vat: '01234567897', status: 'invited' },
    { name: 'Bar <!channel>', status: 'pending' },
  ],
  lastMessages: ['uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'x'.repeat(1000)],
};
const status: StatusView = {
  locale: 'it',
  step: 'invoice.portal-fallback',
  stepTitle: 'invito dal portale',
  companies: [{ name: 'Pizzeria Mario', vat: '01234567897', status: 'invited', statusLabel: 'invitata' }],
};

describe('the hand-off card', () => {
  const card = cardBase({ channel: 'teams', tenant: 'tenant-1', user: 'aad-1' }, summary, status);
  const shown = JSON.stringify(card);

  it('shows the customer and platform, language, reason, step id and label, each company and its status', () => {
    expect(card.title).toBe('hand-off requested (invite-missing) at invoice.portal-fallback');
    expect(card.facts).toEqual([
      { label: 'Customer', value: 'aad-1 (Microsoft Teams, tenant-1)' },
      { label: 'Language', value: 'it' },
      { label: 'Reason', value: 'invite-missing' },
      { label: 'Step', value: 'invoice.portal-fallback (invito dal portale)' },
      { label: 'E-mail', value: 'm•••@example.it' },
      { label: 'Company 1', value: 'Pizzeria Mario •••••••7897: invited (invitata)' },
      { label: 'Company 2', value: 'Bar <!channel>: pending' },
    ]);
  });

  it('masks the e-mail address and VAT numbers', () => {
    expect(shown).not.toContain('mario.rossi@');
    expect(shown).not.toContain('01234567897');
  });

  it('bounds the last messages: the five newest, each cut to 300 characters', () => {
    expect(card.lastMessages).toHaveLength(5);
    expect(card.lastMessages[0]).toBe('tre');
    expect([...card.lastMessages[4]]).toHaveLength(300);
  });
});
