import { describe, expect, it } from '@jest/globals';
import { defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import { buildPrompt, prompts, type PromptId } from '../../flows/tsid-digital-invoice/prompts.js';
import { initialContext } from '../../flows/tsid-digital-invoice/setup.js';
import { suggestEmail } from '../../flows/tsid-digital-invoice/email-typo.js';
import { it as italian } from '../../flows/tsid-digital-invoice/copy.it.js';
import { en as english } from '../../flows/tsid-digital-invoice/copy.en.js';
import type { FlowContext } from '../../flows/tsid-digital-invoice/types.js';
import type { Locale } from '../../src/contract/messages.js';

const atCompany = (locale: Locale): FlowContext => ({
  ...initialContext({ locale }),
  companies: [{ name: 'Bar Roma', vat: '12345670124', status: 'confirmed' }],
  current: 0,
  inviteEmail: 'anna.rossi@gmail.com',
});

describe('copy rules', () => {
  it('says "1 minuto" / "1 minute", never "1 minuti"', () => {
    const settings = { ...defaultFlowSettings, greenCheckMs: 60_000 };
    expect(buildPrompt('invoice.not-green-yet', atCompany('it'), settings).text).toContain('tra 1 minuto per');
    expect(buildPrompt('invoice.not-green-yet', atCompany('en'), settings).text).toContain('in 1 minute to');
  });

  it('calls the computer "computer" only, and tells one colour story for the chain (green when linked)', () => {
    for (const text of [...Object.values(italian), ...Object.values(english)]) {
      expect(text).not.toMatch(/macchin|machine/i);
      expect(text).not.toMatch(/clicca la catena verde|click the green chain/i);
    }
  });

  it('gives the VAT number once, where a company begins, and names the company at most once per message', () => {
    for (const locale of ['it', 'en'] as const) {
      const withVat = (Object.keys(prompts) as PromptId[]).filter((id) =>
        buildPrompt(id, atCompany(locale), defaultFlowSettings).text.includes('12345670124'),
      );
      expect(withVat).toEqual(['invoice.review-data']);
      for (const id of Object.keys(prompts) as PromptId[]) {
        const text = buildPrompt(id, atCompany(locale), defaultFlowSettings).text;
        expect(`${id}: ${text.split('Bar Roma').length - 1}`).toMatch(/: [01]$/);
      }
    }
  });

  it('shows the customer their own e-mail in full in their chat', () => {
    expect(buildPrompt('invoice.invite', atCompany('it'), defaultFlowSettings).text).toContain('anna.rossi@gmail.com');
  });

  it('suggests the common domain one slip away (gmial, gmal, hotmial, libro, virgilo), never for a domain that is right', () => {
    expect(suggestEmail('mario@gmial.com')).toBe('mario@gmail.com');
    expect(suggestEmail('mario@gmal.com')).toBe('mario@gmail.com');
    expect(suggestEmail('mario@hotmial.com')).toBe('mario@hotmail.com');
    expect(suggestEmail('mario@libro.it')).toBe('mario@libero.it');
    expect(suggestEmail('mario@virgilo.it')).toBe('mario@virgilio.it');
    expect(suggestEmail('mario@gmail.com')).toBeUndefined();
    expect(suggestEmail('mario@bottega.it')).toBeUndefined();
  });
});
