import { describe, expect, it } from '@jest/globals';
import { isValidPartitaIva, MAX_COMPANIES, parseCompanies } from '../../flows/tsid-digital-invoice/companies.js';

describe('Partita IVA', () => {
  it('accepts a correct check digit and refuses a wrong one', () => {
    expect(isValidPartitaIva('01234560785')).toBe(true);
    expect(isValidPartitaIva('12345670124')).toBe(true);
    expect(isValidPartitaIva('01234567890')).toBe(false);
    expect(isValidPartitaIva('1234567890')).toBe(false);
    expect(isValidPartitaIva('0123456789a')).toBe(false);
  });

  it('accepts a valid number whatever its check digit (0 included) and refuses every other last digit', () => {
    const byCheckDigit = new Map<string, string>();
    for (let n = 0; byCheckDigit.size < 10; n++) {
      // Seven digits (never all zero), then an office code the Agenzia delle Entrate assigns.
      const office = ['001', '042', '100', '120', '121', '888', '999'][n % 7];
      const prefix = String((n * 7_919_113 + 104_729) % 10_000_000).padStart(7, '0') + office;
      const valid = withLuhnCheckDigit(prefix);
      byCheckDigit.set(valid[10], valid);
      for (let digit = 0; digit <= 9; digit++) {
        const candidate = prefix + String(digit);
        expect([candidate, isValidPartitaIva(candidate)]).toEqual([candidate, candidate === valid]);
      }
    }
    expect([...byCheckDigit.keys()].sort().join('')).toBe('0123456789');
  });
});

/**
 * The Partita IVA check digit is the Luhn one: a number is valid when its Luhn sum, doubling every
 * second digit from the right, is a multiple of 10. Found by trying each last digit, independently
 * of the code under test.
 */
function withLuhnCheckDigit(prefix: string): string {
  const luhnValid = (digits: string) =>
    [...digits].reverse().reduce((sum, char, index) => {
      const doubled = Number(char) * (index % 2 === 1 ? 2 : 1);
      return sum + Math.floor(doubled / 10) + (doubled % 10);
    }, 0) %
      10 ===
    0;
  const found = [...'0123456789'].map((digit) => prefix + digit).filter(luhnValid);
  if (found.length !== 1) throw new Error(`expected one Luhn check digit for ${prefix}, found ${found.length}`);
  return found[0];
}

describe('parseCompanies', () => {
  it('reads one per line or comma-separated, with optional VAT numbers in common spellings', () => {
    const { companies, problems } = parseCompanies(
      '1. Bar Roma 01234560785\nTrattoria Da Gino, Gelateria Sole P.IVA IT 12345670124; Pub 2000',
    );
    expect(problems).toEqual([]);
    expect(companies.map((c) => [c.name, c.vat])).toEqual([
      ['Bar Roma', '01234560785'],
      ['Trattoria Da Gino', undefined],
      ['Gelateria Sole', '12345670124'],
      ['Pub 2000', undefined],
    ]);
  });

  it('points out an invalid VAT number instead of keeping it', () => {
    const { companies, problems } = parseCompanies('Bar Roma 01234567890, Pizzeria 123456789');
    expect(companies).toEqual([]);
    expect(problems.map((p) => p.key)).toEqual(['problem.vat-invalid', 'problem.vat-length']);
  });

  it('reports duplicates, a missing name, an empty list and the limits', () => {
    expect(parseCompanies('Bar Roma, bar roma').problems.map((p) => p.key)).toEqual(['problem.duplicate']);
    expect(parseCompanies('01234560785').problems.map((p) => p.key)).toEqual(['problem.name-missing']);
    expect(parseCompanies(' , \n').problems.map((p) => p.key)).toEqual(['problem.empty']);
    const many = Array.from({ length: MAX_COMPANIES + 1 }, (_, i) => `Negozio ${String.fromCharCode(65 + i)}`).join(
      ',',
    );
    expect(parseCompanies(many).problems.map((p) => p.key)).toEqual(['problem.too-many']);
    expect(parseCompanies('x'.repeat(2001)).problems.map((p) => p.key)).toEqual(['problem.too-long']);
    expect(parseCompanies('N'.repeat(81)).problems.map((p) => p.key)).toEqual(['problem.name-too-long']);
  });
});

describe('parseCompanies refuses what is not a company', () => {
  it('refuses a bare answer or command word, saying why, and accepts it with a VAT number', () => {
    for (const word of ['fatto', 'Sì', 'ok', 'done', 'stop']) {
      expect(parseCompanies(`${word}, Bar Roma`)).toEqual({
        companies: [{ name: 'Bar Roma', vat: undefined, status: 'pending' }],
        problems: [{ key: 'problem.answer-word', params: { name: word } }],
      });
    }
    expect(parseCompanies('Fatto 01234560785').problems).toEqual([]);
  });

  it('refuses an e-mail address', () => {
    expect(parseCompanies('anna@bottega.it').problems).toEqual([{ key: 'problem.email', params: {} }]);
  });
});
