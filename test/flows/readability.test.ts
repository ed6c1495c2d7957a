import { describe, expect, it } from '@jest/globals';
import { t, type CopyKey } from '../../flows/tsid-digital-invoice/copy.js';
import { it as italian } from '../../flows/tsid-digital-invoice/copy.it.js';
import { gulpease } from './gulpease.js';

// Realistic values for every placeholder, as a customer would see them.
const SAMPLE = {
  company: 'Bar Roma (P.IVA 01234567897)',
  email: 'a•••@bottega.it',
  mailbox: 'a•••@bottega.it',
  name: 'Bar Roma',
  vat: '01234567890',
  digits: 10,
  max: 20,
  count: 23,
  n: 2,
  total: 3,
  minutes: 10,
  agent: 'Giulia',
  step: 'elenco delle aziende',
  options: '1) Fatto / 2) Non lo trovo',
  problems: '• "Bar Roma": la Partita IVA 01234567890 non è valida, controlla le cifre.',
  list: '1. Bar Roma (P.IVA 01234567897)\n2. Trattoria Da Gino',
  summary: '• Bar Roma: attiva\n• Trattoria Da Gino: saltata',
  companies: '• Bar Roma: attiva',
  tsid: 'collegato',
};

const scores = (Object.keys(italian) as CopyKey[]).map((key) => ({ key, score: Math.round(gulpease(t('it', key, SAMPLE))) }));

describe('plain Italian (Gulpease index)', () => {
  it('scores at least 60 for every Italian message', () => {
    const hard = scores.filter(({ score }) => score < 60).map(({ key, score }) => `${key}: ${score}`);
    expect(hard).toEqual([]);
  });

  it('has a median of at least 70 over the prompts (choices, links and titles left out)', () => {
    const prompts = scores.filter(({ key }) => !/^(choice|link|status|step)\./.test(key)).map(({ score }) => score).sort((a, b) => a - b);
    const median = prompts[Math.floor(prompts.length / 2)]!;
    console.log(`[figure] gulpease median of ${prompts.length} Italian prompts: ${median} (min ${prompts[0]})`);
    expect(median).toBeGreaterThanOrEqual(70);
  });

  it('computes the index as published', () => {
    // 1 sentence, 4 words, 22 letters: 89 + (300 − 220) / 4 = 109
    expect(gulpease('Il gatto dorme tranquillo.')).toBe(89 + (300 - 10 * 22) / 4);
  });
});
