import { describe, expect, it } from '@jest/globals';
import { t, type CopyKey } from '../../flows/tsid-digital-invoice/copy.js';
import { it as italian } from '../../flows/tsid-digital-invoice/copy.it.js';
import { SAMPLE } from './copy-samples.js';

/**
 * What the customer is told to do in a portal or a mailbox, as the copy's informal "tu"
 * imperatives. Verbs aimed at the bot ("scrivimi", "premi "Fatto"") are answers, not actions.
 */
const PORTAL_ACTIONS = [
  'accedi',
  'accetta',
  'accettalo',
  'accettala',
  'annota',
  'apri',
  'cerca',
  'clicca',
  'compila',
  'completa',
  'controlla',
  'crea',
  'entra',
  'inserisci',
  'metti',
  'registrati',
  'seleziona',
  'selezionalo',
  'selezionala',
  'segui',
  'scollega',
  'torna',
  'usa',
  'vai',
];

/** The actions a message asks for, in order: its imperatives outside quoted portal labels ("Accedi", "…? Registrati"). */
export function actionsIn(text: string): string[] {
  const unquoted = text.replace(/"[^"]*"/g, ' ');
  const words = unquoted.toLowerCase().match(/\p{L}+/gu) ?? [];
  return words.filter((word) => PORTAL_ACTIONS.includes(word));
}

const messages = (Object.keys(italian) as CopyKey[]).filter((key) => !/^(choice|link|status|step)\./.test(key));

describe('one action per message (Italian)', () => {
  it('asks for at most one portal action in every message', () => {
    const crowded = messages
      .map((key) => ({ key, actions: actionsIn(t('it', key, SAMPLE)) }))
      .filter(({ actions }) => actions.length > 1)
      .map(({ key, actions }) => `${key}: ${actions.join(' + ')}`);
    expect(crowded).toEqual([]);
  });

  it('counts the actions of a crowded message, and none inside a quoted portal label', () => {
    expect(
      actionsIn('Apri il link qui sotto, seleziona "Accedi" e poi "Accedi o registrati con TeamSystem ID".'),
    ).toEqual(['apri', 'seleziona']);
    expect(actionsIn('Seleziona "Non hai un TeamSystem ID? Registrati".')).toEqual(['seleziona']);
    expect(actionsIn('Scrivimi le aziende. Quando sei dentro, premi "Fatto".')).toEqual([]);
  });

  it('welcomes in at most two short sentences before its question', () => {
    const welcome = t('it', 'tsid.intro');
    const [before, question] = [
      welcome.slice(0, welcome.lastIndexOf('\n')),
      welcome.slice(welcome.lastIndexOf('\n') + 1),
    ];
    expect(question.trim()).toMatch(/^[^.!?]+\?$/);
    const sentences = before.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.trim());
    expect(sentences.length).toBeLessThanOrEqual(2);
    for (const sentence of sentences) expect(sentence.split(/\s+/).length).toBeLessThanOrEqual(20);
  });
});
