import { describe, expect, it } from '@jest/globals';
import { defaultFlowSettings } from '../../flows/tsid-digital-invoice/index.js';
import type { AnyMachineSnapshot } from 'xstate';
import type { FlowContext } from '../../flows/tsid-digital-invoice/index.js';
import { interpret, matchChoice, matchCommand, normalize } from '../../flows/tsid-digital-invoice/interpret.js';
import { buildPrompt, prompts, type PromptId } from '../../flows/tsid-digital-invoice/prompts.js';
import { initialContext } from '../../flows/tsid-digital-invoice/setup.js';
import type { Choice, Locale } from '../../src/engine/index.js';

const yesNo = [
  { id: 'yes', label: 'Sì' },
  { id: 'no', label: 'No' },
];
const doneOrLost = [
  { id: 'done', label: 'Fatto' },
  { id: 'cant-find', label: 'Non lo trovo' },
];

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
    expect(
      matchChoice('ok', [
        { id: 'accepted', label: 'Invito accettato' },
        { id: 'green', label: 'È verde' },
      ]),
    ).toBeUndefined();
  });

  it('recognises commands in Italian and English', () => {
    expect(matchCommand('Operatore')).toEqual({ type: 'cmd.agent' });
    expect(matchCommand('a che punto sono?')).toEqual({ type: 'cmd.status' });
    expect(matchCommand('lingua en')).toEqual({ type: 'cmd.language', locale: 'en' });
    expect(matchCommand('Erase my data')).toEqual({ type: 'cmd.erase' });
    expect(matchCommand('Bar Roma')).toBeUndefined();
  });
});

describe('one-button prompts', () => {
  const WORDS = [
    'ok',
    'fatto',
    'capito',
    'va bene',
    'done',
    'got it',
    'OK!',
    'Fatto, grazie',
    'Va bene.',
    'Got it, thanks',
  ];
  const context = (locale: Locale) => ({
    ...initialContext({ locale }),
    companies: [{ name: 'Bar Roma', status: 'pending' as const }],
  });
  const oneButton = (locale: Locale) =>
    (Object.keys(prompts) as PromptId[])
      .map((id) => ({ id, choices: buildPrompt(id, context(locale), defaultFlowSettings).choices ?? [] }))
      .filter((prompt) => prompt.choices.length === 1);

  it.each(['it', 'en'] as Locale[])(
    'take "ok", "fatto", "capito", "va bene", "done", "got it" as their button (%s)',
    (locale) => {
      const prompts = oneButton(locale);
      expect(prompts.map((p) => p.id)).toEqual(
        expect.arrayContaining(['invoice.multi-warning', 'invoice.review-data', 'handoff.timeout']),
      );
      for (const { id, choices } of prompts) {
        for (const word of WORDS)
          expect(`${id} ${word}: ${matchChoice(word, choices)?.id}`).toBe(`${id} ${word}: ${choices[0].id}`);
      }
    },
  );

  it('still guess nothing when two buttons are offered', () => {
    expect(matchChoice('capito', doneOrLost)).toBeUndefined();
    expect(matchChoice('got it', yesNo)).toBeUndefined();
  });
});

describe('answers out of step', () => {
  const at = (step: FlowContext['step'], offered: Choice[], previousOffered: Choice[] = []) =>
    ({
      context: { ...initialContext({ locale: 'it' }), step, offered, previousOffered },
      matches: () => false,
    }) as unknown as AnyMachineSnapshot;
  const fatto = [{ id: 'done', label: 'Fatto' }];

  it('takes a click on the current question as its choice', () => {
    expect(interpret({ type: 'user.choice', choiceId: 'done@tsid.connect#0' }, at('tsid.connect', fatto))).toEqual({
      type: 'user.choice',
      choiceId: 'done',
    });
  });

  it("takes a click on an older question's button as out of step, even when the current one has the same button", () => {
    expect(interpret({ type: 'user.choice', choiceId: 'done@tsid.open-section#0' }, at('tsid.connect', fatto))).toEqual(
      { type: 'user.out-of-step' },
    );
    expect(interpret({ type: 'user.choice', choiceId: 'done@invoice.unlink#0' }, at('invoice.unlink', fatto))).toEqual({
      type: 'user.choice',
      choiceId: 'done',
    });
    // The same step for the next company is another question.
    const second = {
      ...at('invoice.unlink', fatto),
      context: { ...(at('invoice.unlink', fatto).context as FlowContext), current: 1 },
    } as unknown as AnyMachineSnapshot;
    expect(interpret({ type: 'user.choice', choiceId: 'done@invoice.unlink#0' }, second)).toEqual({
      type: 'user.out-of-step',
    });
  });

  it('never takes typed words as out of step: what fits no choice here stays text (the step answers it, or the hint)', () => {
    expect(interpret({ type: 'user.text', text: 'fatto' }, at('invoice.companies', [], fatto))).toEqual({
      type: 'user.text',
      text: 'fatto',
    });
    expect(
      interpret(
        { type: 'user.text', text: 'non lo so' },
        at('tsid.admin', yesNo, [...yesNo, { id: 'unsure', label: 'Non lo so' }]),
      ),
    ).toEqual({ type: 'user.text', text: 'non lo so' });
    // It fits the current question too: it answers the current question.
    expect(interpret({ type: 'user.text', text: 'fatto' }, at('tsid.connect', fatto, doneOrLost))).toMatchObject({
      type: 'user.choice',
      choiceId: 'done',
    });
    expect(interpret({ type: 'user.text', text: 'Bar Roma' }, at('invoice.companies', [], fatto))).toEqual({
      type: 'user.text',
      text: 'Bar Roma',
    });
  });
});
