import { describe, expect, it } from '@jest/globals';
import { nextOpenCompany, resumableCompany } from '../../flows/tsid-digital-invoice/company-order.js';
import type { Company } from '../../flows/tsid-digital-invoice/types.js';

const list = (...statuses: Company['status'][]): Company[] => statuses.map((status, i) => ({ name: `C${i}`, status }));

describe('which company a resumed guide takes up', () => {
  it('never an active one: the current if not active, else the first unfinished, else the first skipped', () => {
    expect(resumableCompany({ companies: list('skipped', 'active'), current: 1 })).toBe(0);
    expect(resumableCompany({ companies: list('active', 'skipped', 'pending'), current: 0 })).toBe(2);
    expect(resumableCompany({ companies: list('active', 'invited'), current: 1 })).toBe(1);
    expect(resumableCompany({ companies: list('active', 'active'), current: 1 })).toBeUndefined();
  });

  it('after a company, the next one the customer has not finished (none: the summary)', () => {
    expect(nextOpenCompany({ companies: list('skipped', 'active'), current: 0 })).toBeUndefined();
    expect(nextOpenCompany({ companies: list('active', 'active', 'pending'), current: 0 })).toBe(2);
    expect(nextOpenCompany({ companies: list('pending', 'pending'), current: 0 })).toBe(1);
  });
});
