import { describe, expect, it } from '@jest/globals';
import { en } from '../../flows/tsid-digital-invoice/copy.en.js';
import { it as italian } from '../../flows/tsid-digital-invoice/copy.it.js';
import { t } from '../../flows/tsid-digital-invoice/copy.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
// Labels of the portals (Italian on screen): they must appear verbatim in both languages.
const PORTAL_LABELS = [
  '"Connetti Team System ID"',
  '"Impostazioni Account"',
  '"Continua"',
  '"Le mie app"',
  '"Matita"',
  '"Azioni"',
  '"Non hai un TeamSystem ID? Registrati"',
  '"Accedi o registrati con TeamSystem ID"',
  '"Accedi"',
  '"TeamSystem ID"',
  '"TS Digital"',
  '"catena"',
];

describe('copy', () => {
  it('has the same keys and the same placeholders in Italian and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(italian).sort());
    for (const key of Object.keys(italian) as (keyof typeof italian)[]) {
      expect(`${key}: ${placeholders(en[key]).join(',')}`).toBe(`${key}: ${placeholders(italian[key]).join(',')}`);
    }
  });

  it('keeps every portal label verbatim in English wherever Italian uses it', () => {
    for (const key of Object.keys(italian) as (keyof typeof italian)[]) {
      for (const label of PORTAL_LABELS) {
        if (italian[key].includes(label)) expect(`${key}: ${en[key].includes(label)}`).toBe(`${key}: true`);
      }
    }
  });

  it('fills placeholders and refuses to render with one missing', () => {
    expect(t('it', 'invoice.skipped', { company: 'Bar Roma' })).toBe(
      'Ok, salto Bar Roma: la trovi nel riepilogo finale.',
    );
    expect(() => t('en', 'invoice.skipped')).toThrow('needs {company}');
  });
});
