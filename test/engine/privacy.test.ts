import { describe, expect, it } from '@jest/globals';
import { maskEmail, maskPersonalData, maskVat } from '../../src/engine/index.js';

describe('privacy masks', () => {
  it('masks an e-mail address and a VAT number', () => {
    expect(maskEmail('mario.rossi@example.it')).toBe('m•••@example.it');
    expect(maskEmail('not an address')).toBe('•••');
    expect(maskVat('01234567897')).toBe('•••••••7897');
  });

  it('masks e-mails and VAT numbers inside free text, leaving the rest', () => {
    expect(maskPersonalData('scrivi a mario.rossi@example.it, P.IVA IT01234567897 per Bar 2000')).toBe(
      'scrivi a m•••@example.it, P.IVA •••••••7897 per Bar 2000',
    );
  });
});
