import { describe, expect, it } from '@jest/globals';
import { matchChoice, matchCommand, normalize } from '../../flows/tsid-digital-invoice/interpret.js';

const yesNo = [{ id: 'yes', label: 'Sì' }, { id: 'no', label: 'No' }];
const doneOrLost = [{ id: 'done', label: 'Fatto' }, { id: 'cant-find', label: 'Non lo trovo' }];

describe('typed answers', () => {
  it('ignores case, accents and punctuation', () => {
    expect(normalize('  Sì, FATTO!! ')).toBe('si fatto');
    expect(matchChoice('SI!', yesNo)?.id).toBe('yes');
    expect(matchChoice('sì', yesNo)?.id).toBe('yes');
  });

  it('accepts the label, the number and synonyms in both languages', () => {
    expect(matchChoice('non lo trovo', doneOrLost)?.id).toBe('cant-find');
    expect(matchChoice('2', doneOrLost)?.id).toBe('cant-find');
    expect(matchChoice('done', doneOrLost)?.id).toBe('done');
    expect(matchChoice('ok', doneOrLost)?.id).toBe('done');
    expect(matchChoice("can't find", doneOrLost)?.id).toBe('cant-find');
    expect(matchChoice('yes', yesNo)?.id).toBe('yes');
  });

  it('matches nothing for a number out of range, unknown words or an ambiguous synonym', () => {
    expect(matchChoice('3', yesNo)).toBeUndefined();
    expect(matchChoice('forse domani', yesNo)).toBeUndefined();
    // "ok" means both "accepted" and "green": neither is guessed.
    expect(matchChoice('ok', [{ id: 'accepted', label: 'Invito accettato' }, { id: 'green', label: 'È verde' }])).toBeUndefined();
  });

  it('recognises commands in Italian and English', () => {
    expect(matchCommand('Operatore')).toEqual({ type: 'cmd.agent' });
    expect(matchCommand('a che punto sono?')).toEqual({ type: 'cmd.status' });
    expect(matchCommand('lingua en')).toEqual({ type: 'cmd.language', locale: 'en' });
    expect(matchCommand('Erase my data')).toEqual({ type: 'cmd.erase' });
    expect(matchCommand('Bar Roma')).toBeUndefined();
  });
});
