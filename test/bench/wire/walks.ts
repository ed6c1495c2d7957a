/**
 * The customer's side of the real guide, as in test/transcripts: typed lines and button
 * clicks. `confirm`: the button asks "are you sure?" first (Slack shows its dialog in the
 * client; Teams sends a confirmation card, clicked as a request of its own).
 */
export type Step = { say: string } | { click: string; confirm?: true };

const say = (text: string): Step => ({ say: text });
const click = (label: string): Step => ({ click: label });
const unlink = (company: string): Step => ({ click: `Sì, scollega ${company}`, confirm: true });
/** A company from its review step to the TS Digital invite (unlink, green chain, its data, "Continua"). */
const chain = (company: string): Step[] => [
  click('Fatto'),
  unlink(company),
  click('Fatto'),
  click('Fatto'),
  click('Fatto'),
  click('Fatto'),
];

/** Transcripts 03 up to the invite question: existing TS ID, one company (also what is parked). */
export const TO_INVITE: Step[] = [
  say('ciao'),
  click('Sì'),
  click('Sì'),
  click('Fatto'),
  click('Fatto'),
  click('Fatto'),
  click('Fatto'),
  click('Sì'),
  say('luca@pizzeria.it'),
  click('Fatto'),
  click('Fatto'),
  say('Pizzeria Luca'),
  click('Sì, è corretto'),
  ...chain('Pizzeria Luca'),
];

/** Existing TS ID, one company, invite accepted, chain green. */
export const EXISTING_ONE_COMPANY: Step[] = [...TO_INVITE, click('Invito accettato'), click('È verde')];

/** No TS ID, two companies: the first invite accepted, the second never arrives (the portal fallback). */
export const NEW_TWO_COMPANIES: Step[] = [
  say('ciao'),
  click('No'),
  say('sì'),
  click('Fatto'),
  say('fatto!'),
  click('Fatto'),
  say('Fatto'),
  click('Sì'),
  say('mario.rossi@example.it'),
  click('Fatto'),
  click('Fatto'),
  say('Bar Roma 01234560785, Trattoria Da Gino'),
  click('Sì, è corretto'),
  click('Ho capito'),
  ...chain('Bar Roma'),
  click('Invito accettato'),
  click('È verde'),
  ...chain('Trattoria Da Gino'),
  // First "check the spam and wait", a second "not arrived" goes on to the portal.
  click("L'e-mail non è arrivata"),
  click("L'e-mail non è arrivata"),
  click('Fatto'),
  click('È verde'),
];

export const WALKS = { newTwoCompanies: NEW_TWO_COMPANIES, existingOneCompany: EXISTING_ONE_COMPANY };
export type WalkName = keyof typeof WALKS;

/** What every finished walk ends with (the last message of its last turn). */
export const FINISHED = 'Abbiamo finito';
/** The invite question a parked conversation waits at. */
export const INVITE_QUESTION = 'arriva un invito da TS Digital';
