import type { AnyMachineSnapshot } from 'xstate';
import type { Choice, InboundEvent } from '../../src/contract/messages.js';
import type { FlowEvent } from './setup.js';
import { reactivatedIndex } from './company-order.js';
import { oneEdit } from './one-edit.js';
import { currentStamp, unstamp } from './stamp.js';
import type { FlowContext } from './types.js';

const NORMALIZED_KEPT = 1000;
/** A turn normalises the same typed text and the offered labels several times: each once. */
const normalized = new Map<string, string>();

/** Lower case, no accents, no punctuation, single spaces: "Sì, fatto!" → "si fatto". */
export function normalize(text: string): string {
  let result = normalized.get(text);
  if (result === undefined) {
    result = text
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    if (normalized.size >= NORMALIZED_KEPT) normalized.clear();
    normalized.set(text, result);
  }
  return result;
}

const COMMANDS: [FlowEvent, string[]][] = [
  [
    { type: 'cmd.agent' },
    [
      'operatore',
      'un operatore',
      'agente',
      'assistenza',
      'persona',
      'una persona',
      'umano',
      'parla con un operatore',
      'agent',
      'an agent',
      'human',
      'operator',
      'talk to an agent',
      'helpdesk',
    ],
  ],
  [{ type: 'cmd.status' }, ['stato', 'a che punto sono', 'dove sono', 'status', 'where am i', 'progress']],
  [{ type: 'cmd.restart' }, ['ricomincia', 'ricominciamo', 'da capo', 'restart', 'start over', 'start again']],
  [{ type: 'cmd.stop' }, ['stop', 'basta', 'esci', 'fermati', 'quit', 'pause', 'pausa']],
  [
    { type: 'cmd.erase' },
    ['cancella i miei dati', 'cancella dati', 'elimina i miei dati', 'erase my data', 'delete my data', 'forget me'],
  ],
  [{ type: 'cmd.help' }, ['aiuto', 'help', 'comandi', 'commands']],
  // A greeting mid-guide repeats the question rather than counting as a miss.
  [{ type: 'session.start' }, ['ciao', 'salve', 'buongiorno', 'buonasera', 'hello', 'hi', 'hey', 'good morning']],
  [{ type: 'cmd.language', locale: 'en' }, ['lingua en', 'english', 'inglese', 'in inglese', 'language en', 'en']],
  [{ type: 'cmd.language', locale: 'it' }, ['lingua it', 'italiano', 'italian', 'in italiano', 'language it', 'it']],
];

// Words that mean the same answer, by choice id. A word listed for two offered choices is ambiguous and matches neither.
const SYNONYMS: Record<string, string[]> = {
  yes: [
    'si',
    'ok',
    'certo',
    'esatto',
    'confermo',
    'yes',
    'y',
    'yep',
    'sure',
    'of course',
    'corretto',
    'giusto',
    'sono qui',
    'ci sono',
  ],
  no: ['no', 'n', 'nope', 'non ce l ho', 'no non ce l ho'],
  unsure: ['non so', 'boh', 'forse', 'not sure', 'don t know', 'dont know', 'i don t know', 'maybe', 'non ricordo'],
  done: [
    'fatto',
    'fatta',
    'ok',
    'finito',
    'ecco',
    'si',
    'fatto ok',
    'done',
    'ok done',
    'finished',
    'yes',
    'ci sono',
    'sono dentro',
    'i m in',
  ],
  'cant-find': ['non lo trovo', 'non la trovo', 'non trovo', 'can t find', 'cant find', 'not found'],
  'cant-login': ['non riesco', 'non riesco ad accedere', 'can t sign in', 'cannot sign in'],
  'admin-here': ['c e un amministratore', 'admin', 'amministratore', 'administrator', 'ora si'],
  register: ['registrarmi', 'registrati', 'registrazione', 'register', 'sign up'],
  existing: ['accedi', 'ce l ho', 'ho un ts id', 'sign in', 'i have one'],
  'not-back': ['non sono tornato', 'non sono tornata', 'not back'],
  'new-link': ['nuovo link', 'link', 'altro link', 'new link', 'another link'],
  'type-email': ['email', 'e mail', 'scrivo', 'type'],
  'email-forgot': [
    'non la ricordo',
    'non me la ricordo',
    'non ricordo',
    'non la so',
    'non lo so',
    'non so',
    'boh',
    'non ce l ho',
    'don t remember',
    'i don t remember',
    'i forgot',
    'forgot',
    'don t know',
    'i don t know',
  ],
  'ask-agent': ['collega', 'un collega', 'operatore', 'persona', 'si', 'colleague', 'agent', 'yes'],
  'list-ok': ['si', 'ok', 'corretto', 'giusto', 'yes', 'correct', 'right'],
  'list-fix': ['no', 'correggi', 'sbagliato', 'fix', 'correct it', 'wrong'],
  understood: ['ok', 'capito', 'ho capito', 'va bene', 'si', 'understood', 'got it', 'yes'],
  unlink: ['si', 'scollega', 'procedi', 'yes', 'unlink', 'go ahead'],
  skip: ['no', 'salta', 'skip'],
  accepted: ['accettato', 'accettata', 'arrivata', 'fatto', 'si', 'ok', 'accepted', 'done', 'yes', 'arrived'],
  'no-email': [
    'non e arrivata',
    'non arrivata',
    'non ancora',
    'ancora no',
    'ancora niente',
    'nessuna email',
    'niente',
    'no',
    'not arrived',
    'not yet',
    'no email',
    'nothing',
  ],
  'still-stuck': ['non funziona', 'problema', 'doesn t work', 'not working'],
  green: ['verde', 'e verde', 'si', 'ok', 'fatto', 'green', 'yes', 'done'],
  'not-yet': ['non ancora', 'ancora no', 'no', 'grigia', 'not yet', 'still grey', 'still gray'],
  'agent-yes': ['si', 'operatore', 'yes', 'agent'],
  'agent-no': ['no', 'proseguo', 'continua', 'go on'],
  'restart-yes': ['si', 'ricomincia', 'yes', 'restart'],
  'restart-no': ['no', 'continua', 'carry on'],
  'erase-yes': ['si', 'cancella', 'yes', 'erase'],
  'erase-no': ['no', 'tienili', 'keep'],
  resume: ['riprendi', 'continua', 'vai', 'resume', 'continue', 'go on'],
  restart: ['ricomincia', 'restart'],
};

/**
 * Under a prompt with one button there is one thing to say: any plain "ok, go on" means it,
 * whatever the button's words ("fatto" under "Ho capito", "got it" under "Done").
 */
export const ACKNOWLEDGEMENTS = [
  'ok',
  'okay',
  'okk',
  'fatto',
  'fatta',
  'capito',
  'ho capito',
  'va bene',
  'vabene',
  'd accordo',
  'perfetto',
  'si',
  'si fatto',
  'ok fatto',
  'fatto ok',
  'finito',
  'pronto',
  'ci sono',
  'andiamo',
  'avanti',
  'vai',
  'done',
  'got it',
  'understood',
  'yes',
  'fine',
  'sure',
  'ready',
  'next',
  'all done',
];

/** Politeness around an answer changes nothing: "fatto, grazie" is "fatto", "done, thanks" is "done". */
const THANKS = / (?:grazie(?: mille)?|thanks|thank you|thx)$/;
/** Politeness alone ("grazie", "ok grazie"): acknowledged, but it answers nothing. */
const ONLY_THANKS =
  /^(?:(?:ok|okay|perfetto|bene|va bene|ottimo|great|perfect) )?(?:grazie(?: mille| tante)?|thanks|thank you|thx)$/;

/** A question ("quanto costa il canone?", "how much is it"): a question mark, or a question word first. */
export function looksLikeQuestion(text: string): boolean {
  const said = normalize(text);
  return said.split(' ').length >= 2 && (text.includes('?') || QUESTION_WORDS.test(said));
}
const QUESTION_WORDS =
  /^(?:quanto|quanta|quanti|quando|come|perche|cosa|che cosa|dove|chi|quale|quali|how|what|why|when|where|who|which)\b/;

/** True when the text is only a thank-you. */
export function isThanks(text: string): boolean {
  return ONLY_THANKS.test(normalize(text));
}

/** Finds the offered choice a typed answer means: its number, its label or a synonym. */
export function matchChoice(text: string, offered: Choice[]): Choice | undefined {
  const exact = normalize(text);
  for (const said of new Set([exact, exact.replace(THANKS, '')])) {
    const found = matchNormalized(said, offered);
    if (found) return found;
  }
  return undefined;
}

function matchNormalized(said: string, offered: Choice[]): Choice | undefined {
  if (/^\d+$/.test(said)) return offered[Number(said) - 1];
  const byLabel = offered.find((choice) => normalize(choice.label) === said);
  if (byLabel) return byLabel;
  if (offered.length === 1 && ACKNOWLEDGEMENTS.includes(said)) return offered[0];
  const bySynonym = offered.filter((choice) => SYNONYMS[choice.id]?.includes(said));
  if (bySynonym.length === 1) return bySynonym[0];
  // The first words of a label ("si scollega" for "Sì, scollega Bar Roma"), when only one label starts so.
  const byStart =
    said.length >= 4 ? offered.filter((choice) => `${normalize(choice.label)} `.startsWith(`${said} `)) : [];
  if (byStart.length === 1) return byStart[0];
  // A slip of one letter in a word of four or more ("fatot", "scolega"): the one choice it can mean.
  const nearby = offered.filter((choice) => wordsFor(choice, offered).some((words) => withinOneEdit(words, said)));
  return nearby.length === 1 ? nearby[0] : undefined;
}

/** Everything that means a choice: its label, its synonyms, and under a lone button the acknowledgements. */
function wordsFor(choice: Choice, offered: Choice[]): string[] {
  return [normalize(choice.label), ...(SYNONYMS[choice.id] ?? []), ...(offered.length === 1 ? ACKNOWLEDGEMENTS : [])];
}

/** Same words, except that each word of 4+ letters may differ by one edit (a letter added, dropped, changed or swapped). */
function withinOneEdit(expected: string, said: string): boolean {
  const want = expected.split(' ');
  const got = said.split(' ');
  return (
    want.length === got.length &&
    want.some((word, i) => word !== got[i]) &&
    want.every((word, i) => word === got[i] || (word.length >= 4 && got[i].length >= 4 && oneEdit(word, got[i])))
  );
}

/** A command word typed at any step ("stato", "operatore", "lingua en", ...). */
export function matchCommand(text: string): FlowEvent | undefined {
  const said = normalize(text);
  return COMMANDS.find(([, words]) => words.includes(said))?.[0];
}

/**
 * Maps what the customer did to what the current state expects. A click carries the
 * question it answered: on an older question it is out of step. Typed text is matched
 * against the offered choices first (so "no" answers the question rather than being a
 * command), then command words; a thank-you alone answers nothing. While an agent has the
 * conversation everything is relayed as it is.
 */
export function interpret(event: InboundEvent, snapshot: AnyMachineSnapshot): FlowEvent {
  if (relaysEverything(snapshot)) return event;
  const context = snapshot.context as FlowContext;
  const offered = context.offered ?? [];
  if (event.type === 'user.choice') return clicked(event, context);
  if (event.type !== 'user.text') return event;
  if (isThanks(event.text)) return { type: 'user.thanks' };
  const picked = matchChoice(event.text, offered) ?? companyNamed(event.text, offered, context);
  if (picked) return { type: 'user.choice', choiceId: picked.id, text: event.text };
  const command = matchCommand(event.text);
  if (command) return command;
  // Typed words are never "for an earlier step": what fits no choice here gets the choices (the hint).
  return event;
}

/** "e Bar Sport? come la riattivo?": the one offered "reactivate" choice whose company the text names. */
function companyNamed(text: string, offered: Choice[], context: FlowContext): Choice | undefined {
  const said = ` ${normalize(text)} `;
  const named = offered.filter((choice) => {
    const company = context.companies?.[reactivatedIndex({ type: 'user.choice', choiceId: choice.id }) ?? -1];
    return company !== undefined && said.includes(` ${normalize(company.name)} `);
  });
  return named.length === 1 ? named[0] : undefined;
}

/** A click on the current question's button is its choice; any other stamped click is out of step. */
function clicked(event: InboundEvent & { type: 'user.choice' }, context: FlowContext): FlowEvent {
  const { choiceId, stamp } = unstamp(event.choiceId);
  if (stamp === undefined) return event;
  const current = stamp === currentStamp(context) && (context.offered ?? []).some((choice) => choice.id === choiceId);
  return current ? { ...event, choiceId } : { type: 'user.out-of-step' };
}

/** A reply that is only an answer or a command word ("fatto", "sì", "stop"), never a name. */
export function isAnswerWord(text: string): boolean {
  const said = normalize(text);
  return (
    ACKNOWLEDGEMENTS.includes(said) ||
    Object.values(SYNONYMS).some((words) => words.includes(said)) ||
    matchCommand(said) !== undefined
  );
}

function relaysEverything(snapshot: AnyMachineSnapshot): boolean {
  return snapshot.matches({ main: { handoff: 'waiting' } }) || snapshot.matches({ main: { handoff: 'active' } });
}
