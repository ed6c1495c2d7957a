/**
 * The whole guide as one customer walks it: no TS ID, two companies, the first declined.
 * Each step: what the newest message must ask when the bot goes quiet, and the answer.
 * A customer who is out of step (the newest message is not the question yet) fails the walk.
 */
export interface WalkStep {
  /** A fragment of the newest message once the bot is quiet. */
  asks: string;
  answer: { click: string } | { say: string };
}

export const FIRST_WORDS = 'ciao';

export const QUICK_CUSTOMER_WALK: WalkStep[] = [
  { asks: 'Hai già un TS ID?', answer: { click: 'No' } },
  { asks: 'Sei un amministratore del portale?', answer: { click: 'Sì' } },
  { asks: 'Accedi al portale di Cassa in Cloud', answer: { click: 'Fatto' } },
  { asks: 'Apri la sezione "TeamSystem ID"', answer: { click: 'Fatto' } },
  { asks: 'Seleziona "Connetti Team System ID"', answer: { click: 'Fatto' } },
  { asks: 'Registrati', answer: { say: 'fatto' } },
  { asks: 'Ci sei?', answer: { click: 'Sì' } },
  { asks: "Scrivimi l'indirizzo e-mail del tuo TS ID", answer: { say: 'mario.rossi@example.it' } },
  { asks: 'Entra in Cassa in Cloud come amministratore', answer: { click: 'Fatto' } },
  { asks: '"Impostazioni Account" → "TS Digital"', answer: { click: 'Fatto' } },
  { asks: "Scrivimi le aziende che vedi nell'elenco", answer: { say: 'Bar Sport 01234560785, Pizzeria Da Mario' } },
  { asks: 'È corretto?', answer: { click: 'Sì, è corretto' } },
  { asks: 'hai più aziende', answer: { click: 'Ho capito' } },
  { asks: 'Azienda 1 di 2: Bar Sport', answer: { click: 'Fatto' } },
  {
    asks: 'Stai per disattivare la fatturazione elettronica per Bar Sport',
    answer: { click: 'No, salta questa azienda' },
  },
  { asks: 'Azienda 2 di 2: Pizzeria Da Mario', answer: { click: 'Fatto' } },
  {
    asks: 'Stai per disattivare la fatturazione elettronica per Pizzeria Da Mario',
    answer: { click: 'Sì, scollega Pizzeria Da Mario' },
  },
  { asks: 'clicca l\'icona "catena"', answer: { click: 'Fatto' } },
  { asks: "Ora clicca di nuovo l'icona", answer: { click: 'Fatto' } },
  { asks: 'inserisci quelli che hai annotato prima', answer: { click: 'Fatto' } },
  { asks: 'Seleziona "Continua"', answer: { click: 'Fatto' } },
  { asks: 'arriva un invito da TS Digital', answer: { click: 'Invito accettato' } },
  { asks: 'È verde?', answer: { click: 'È verde' } },
];

/** The last message of the walk. */
export const WALK_ENDS_WITH = 'Abbiamo finito!';

/** The customer answers this long after the bot's last message (no new message meanwhile). */
export const QUIET_MS = 400;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
