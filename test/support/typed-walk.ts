/**
 * One customer's typed answers from the greeting to the TS Digital invite question, with
 * no TS ID yet and two companies listed (the parked state the benches and the Redis
 * footprint test measure).
 */
export const TYPED_TO_INVITE: readonly string[] = [
  'ciao',
  'sì',
  'sì',
  'fatto',
  'fatto',
  'fatto',
  'fatto',
  'sì',
  'a@b.it',
  'fatto',
  'fatto',
  'Bar Roma 01234560785, Trattoria',
  'sì',
  'ok',
  'fatto',
  'sì',
  'fatto',
  'fatto',
  'fatto',
  'fatto',
];
