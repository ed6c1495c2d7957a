import { describe, expect, it } from '@jest/globals';
import { parseCompanies } from '../../flows/tsid-digital-invoice/companies.js';
import { asciiForm, isValidPartitaIva } from '../../flows/tsid-digital-invoice/partita-iva.js';
import { maskPersonalData } from '../../src/contract/privacy.js';

/**
 * python-stdnum's `it.iva` (stdnum/it/iva.py and stdnum/luhn.py), transcribed line by line
 * as the independent reference; our validator is written differently (check digit forward).
 */
const stdnum = {
  compact(number: string): string {
    let compacted = [...number]
      .filter((char) => !' -:'.includes(char))
      .join('')
      .toUpperCase()
      .trim();
    if (compacted.startsWith('IT')) compacted = compacted.slice(2);
    return compacted;
  },
  luhnChecksum(number: string): number {
    const digits = [...number].reverse().map((char) => '0123456789'.indexOf(char));
    const even = digits.filter((_, index) => index % 2 === 0).reduce((sum, digit) => sum + digit, 0);
    const odd = digits
      .filter((_, index) => index % 2 === 1)
      .reduce((sum, digit) => sum + Math.floor((digit * 2) / 10) + ((digit * 2) % 10), 0);
    return (even + odd) % 10;
  },
  isValid(number: string): boolean {
    const compacted = stdnum.compact(number);
    if (!/^[0-9]+$/.test(compacted) || Number(compacted.slice(0, 7)) === 0) return false; // InvalidFormat
    if (compacted.length !== 11) return false; // InvalidLength
    const office = compacted.slice(7, 10);
    if (!('001' <= office && office <= '100') && !['120', '121', '888', '999'].includes(office)) return false;
    return stdnum.luhnChecksum(compacted) === 0; // InvalidChecksum
  },
};

/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const digits = (random: () => number, count: number) =>
  Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');

/** The digit that makes `first10` pass Luhn, found by trying all ten with the reference. */
const checkDigitFor = (first10: string) =>
  [...'0123456789'].find((digit) => stdnum.luhnChecksum(first10 + digit) === 0)!;

const OFFICES = [
  '000',
  '001',
  '050',
  '099',
  '100',
  '101',
  '119',
  '120',
  '121',
  '122',
  '500',
  '887',
  '888',
  '889',
  '999',
];

describe('Partita IVA: our validator agrees with python-stdnum it.iva', () => {
  it('on 100,000 random 11-digit strings (seed 20)', () => {
    const random = prng(20);
    const disagreements: string[] = [];
    let valid = 0;
    for (let i = 0; i < 100_000; i++) {
      const number = digits(random, 11);
      const expected = stdnum.isValid(number);
      if (expected) valid++;
      if (isValidPartitaIva(number) !== expected) disagreements.push(number);
    }
    expect(disagreements).toEqual([]);
    expect(valid).toBeGreaterThan(1000); // about 1 in 10 check digits × 103/1000 office codes
  });

  it('on 100,000 strings biased towards valid ones: right check digit, office codes at the edges, zero prefixes', () => {
    const random = prng(2020);
    const disagreements: string[] = [];
    let valid = 0;
    for (let i = 0; i < 100_000; i++) {
      const office = random() < 0.7 ? OFFICES[Math.floor(random() * OFFICES.length)] : digits(random, 3);
      const head = random() < 0.05 ? '0000000' : random() < 0.1 ? `000000${digits(random, 1)}` : digits(random, 7);
      const first10 = head + office;
      const number = first10 + (random() < 0.8 ? checkDigitFor(first10) : digits(random, 1));
      const expected = stdnum.isValid(number);
      if (expected) valid++;
      if (isValidPartitaIva(number) !== expected) disagreements.push(number);
    }
    expect(disagreements).toEqual([]);
    expect(valid).toBeGreaterThan(30_000);
  });

  it('reads the spellings stdnum compacts (spaces, dashes, an IT prefix) to the same number and verdict', () => {
    const random = prng(7);
    for (let i = 0; i < 2_000; i++) {
      const first10 = digits(random, 7) + OFFICES[Math.floor(random() * OFFICES.length)];
      const number = first10 + checkDigitFor(first10);
      const prefix = ['', 'IT', 'IT ', 'it'][Math.floor(random() * 4)];
      const spelled =
        prefix + [...number].map((digit, index) => (index > 0 && random() < 0.3 ? ' -'[i % 2] : '') + digit).join('');
      const { companies, problems } = parseCompanies(`Bar Roma ${spelled}`);
      const verdict = stdnum.isValid(spelled);
      expect({ spelled, valid: problems.length === 0, vat: companies[0]?.vat }).toEqual({
        spelled,
        valid: verdict,
        vat: verdict ? stdnum.compact(spelled) : undefined,
      });
    }
  });
});

describe('Partita IVA in a company line', () => {
  const read = (line: string) => parseCompanies(line);

  it('accepts separators, an IT prefix with or without a space, and digits of other widths and scripts', () => {
    for (const line of [
      'Bar Roma IT 012-345-607-85',
      'Bar Roma IT01234560785',
      'Bar Roma 012.345.607.85',
      'Bar Roma 0123456/0785',
      'Bar Roma P.IVA: IT 01234 560785',
      'Bar Roma ０１２３４５６０７８５', // fullwidth
      'Bar Roma ＩＴ０１２３４５６０７８５',
      'Bar Roma ٠١٢٣٤٥٦٠٧٨٥', // Arabic-Indic
      'Bar Roma 𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟎𝟕𝟖𝟓', // mathematical bold: NFKC
      'Bar Roma (01234560785)',
    ]) {
      expect({ line, ...read(line) }).toEqual({
        line,
        companies: [{ name: 'Bar Roma', vat: '01234560785', status: 'pending' }],
        problems: [],
      });
    }
  });

  it('refuses all zeros, an office code out of range and a wrong check digit, saying which number', () => {
    // 00000000000 and 12345671015 pass the check digit (12345671015: office code 101); 01234560786 does not.
    for (const vat of ['00000000000', '12345671015', '01234560786']) {
      expect(read(`Bar Roma ${vat}`)).toEqual({
        companies: [],
        problems: [{ key: 'problem.vat-invalid', params: { name: 'Bar Roma', vat } }],
      });
    }
    expect(stdnum.luhnChecksum('12345671015')).toBe(0);
  });

  it('reports a VAT-like token with a letter instead of taking it into the name', () => {
    expect(read('Bar Roma 0074311015A')).toEqual({
      companies: [],
      problems: [{ key: 'problem.vat-invalid', params: { name: 'Bar Roma', vat: '0074311015A' } }],
    });
  });

  it('does not let text stuck after the number hide it: "00743110157<!channel>" is a problem', () => {
    for (const line of ['Bar Roma 00743110157<!channel>', 'Bar Roma 00743110157@channel', 'Bar Roma 01234560785 srl']) {
      expect({ line, ...read(line) }).toEqual({
        line,
        companies: [],
        problems: [{ key: 'problem.vat-not-last', params: { name: 'Bar Roma' } }],
      });
    }
  });

  it('keeps short numbers in the name and takes the last eleven digits as the number', () => {
    expect(read('Pub 2000, Bar 2000 01234560785').companies).toEqual([
      { name: 'Pub 2000', status: 'pending' },
      { name: 'Bar 2000', vat: '01234560785', status: 'pending' },
    ]);
    expect(read('Pizzeria 123456789').problems).toEqual([
      { key: 'problem.vat-length', params: { name: 'Pizzeria', digits: 9 } },
    ]);
  });

  it('keeps an HTML entity whole: its ";" does not end the company', () => {
    expect(read('Acme &lt; Srl; Beta &amp; Co; Gamma &#60;1&#x3E;').companies.map((c) => c.name)).toEqual([
      'Acme &lt; Srl',
      'Beta &amp; Co',
      'Gamma &#60;1&#x3E;',
    ]);
    expect(read('Acme; Beta').companies.map((c) => c.name)).toEqual(['Acme', 'Beta']);
  });

  it('asciiForm maps every decimal digit to ASCII and leaves letters of other scripts alone', () => {
    expect(asciiForm('٠١٢٣٤٥٦٧٨٩ ०९ ０９ 𝟗 ߉')).toBe('0123456789 09 09 9 9');
    expect(asciiForm('Caffè Ωmega 東京')).toBe('Caffè Ωmega 東京');
  });

  it('masks the number in the hand-off summary in every spelling it accepts', () => {
    for (const spelled of ['IT 012-345-607-85', '012.345.607.85', '０１２３４５６０７８５', '01234560785']) {
      const masked = maskPersonalData(`Bar Roma ${spelled} grazie`);
      expect({ spelled, masked }).toEqual({ spelled, masked: expect.stringMatching(/^Bar Roma •+[^•\s]+ grazie$/) });
      expect(masked.replace(/\D/g, '').length).toBeLessThanOrEqual(4);
    }
  });
});
