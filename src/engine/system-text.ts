import type { Locale } from '../contract/messages.js';

/** The few sentences the runtime itself says, outside any flow. */
const texts = {
  it: {
    retryLater: 'Non riesco a salvare la tua risposta in questo momento. Riprova tra un minuto.',
    notUnderstoodHere: 'Scrivimi in privato: questa guida chiede dati personali, quindi la seguiamo in chat diretta.',
    undeliverable: 'Non è stato possibile mostrarti un messaggio. Se ti manca qualcosa, scrivimi di nuovo.',
    setAside:
      'Non sono riuscito a elaborare un tuo messaggio. Scrivimelo di nuovo, oppure scrivi «operatore» per parlare con una persona.',
  },
  en: {
    retryLater: "I can't save your answer right now. Please try again in a minute.",
    notUnderstoodHere: 'Write to me directly: this guide asks for personal data, so we follow it in a direct chat.',
    undeliverable: 'A message could not be shown to you. If something seems missing, write to me again.',
    setAside: 'I could not process one of your messages. Please send it again, or write “agent” to talk to a person.',
  },
} satisfies Record<Locale, Record<string, string>>;

export type SystemTextId = keyof (typeof texts)['it'];

/** A runtime sentence in the customer's language (Italian when unknown). */
export function systemText(id: SystemTextId, locale: Locale | undefined): string {
  return texts[locale ?? 'it'][id];
}
