import { maskPersonalData, type OutboundMessage } from '../engine/index.js';
import type { ConversationStore, DeadLetter } from '../store/conversation-store.js';

/** What a command prints and whether it did what was asked. */
export interface DeadLetterAnswer {
  ok: boolean;
  text: string;
}

/**
 * `dead-letters list [--limit N]` and `dead-letters replay ID`: an operator reads what the
 * platforms refused and, after a fix, puts one item back in its outbox (a running bot's
 * sweeper sends it within seconds). Undefined: not a valid command (usage).
 */
export async function deadLetterCommand(
  store: Pick<ConversationStore, 'deadLetters' | 'replayDeadLetter'>,
  args: string[],
): Promise<DeadLetterAnswer | undefined> {
  const [verb, id] = args;
  if (verb === 'list') {
    const limitAt = args.indexOf('--limit');
    const limit = limitAt >= 0 ? Number.parseInt(args[limitAt + 1] ?? '', 10) : 50;
    if (!Number.isInteger(limit) || limit <= 0) return undefined;
    const letters = await store.deadLetters(limit);
    return { ok: true, text: letters.length === 0 ? 'No dead letters.' : letters.map(describe).join('\n') };
  }
  if (verb === 'replay' && id) {
    return (await store.replayDeadLetter(id))
      ? { ok: true, text: `${id}: back in its outbox; a running bot sends it at its next sweep.` }
      : { ok: false, text: `${id}: no such dead letter (replayed already, erased, or past its retention).` };
  }
  return undefined;
}

/** One line per letter: id, when, why, and the message masked and cut (e-mails and VAT numbers never printed). */
function describe(letter: DeadLetter): string {
  const message = letter.item.type === 'message' ? letter.item.message : undefined;
  const preview = message ? maskPersonalData(textOf(message)).slice(0, 80) : '';
  return [letter.id, new Date(letter.at).toISOString(), letter.reason, message?.kind ?? letter.item.type, preview]
    .map((field) => JSON.stringify(field))
    .join(' ');
}

function textOf(message: OutboundMessage): string {
  return 'text' in message ? message.text : message.kind;
}
