import { describe, expect, it } from '@jest/globals';
import type { Choice } from '../../src/contract/messages.js';
import { matchChoice } from '../../flows/tsid-digital-invoice/interpret.js';

const unlink: Choice[] = [
  { id: 'unlink', label: 'Sì, scollega Bar Roma' },
  { id: 'skip', label: 'No, salta questa azienda' },
];
const unlinkEn: Choice[] = [
  { id: 'unlink', label: 'Yes, unlink Bar Roma' },
  { id: 'skip', label: 'No, skip this company' },
];
const invite: Choice[] = [
  { id: 'accepted', label: 'Invito accettato' },
  { id: 'no-email', label: "L'e-mail non è arrivata" },
];
const done: Choice[] = [{ id: 'done', label: 'Fatto' }];
const doneOrLost: Choice[] = [...done, { id: 'cant-find', label: 'Non lo trovo' }];
const id = (text: string, offered: Choice[]) => matchChoice(text, offered)?.id;

describe('answers as people type them', () => {
  it('takes the first words of a label when only one label starts so ("sì, scollega", "yes, unlink")', () => {
    expect(id('sì, scollega', unlink)).toBe('unlink');
    expect(id('no, salta', unlink)).toBe('skip');
    expect(id('yes, unlink', unlinkEn)).toBe('unlink');
  });

  it('takes the README\'s "non ancora" / "not yet" at the invite question', () => {
    expect(id('non ancora', invite)).toBe('no-email');
    expect(id('not yet', invite)).toBe('no-email');
  });

  it('forgives one slip in a word of four or more letters, never in shorter words, never when two choices fit', () => {
    expect(id('fatot', doneOrLost)).toBe('done');
    expect(id('fato', done)).toBe('done');
    expect(id('dnoe', done)).toBe('done');
    expect(id('scolega', [{ id: 'unlink', label: 'Scollega' }])).toBe('unlink');
    expect(id('sk', [{ id: 'yes', label: 'Sì' }])).toBeUndefined();
    expect(id('fattx lontano', doneOrLost)).toBeUndefined();
  });
});
