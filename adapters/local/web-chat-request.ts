import type { InboundEvent, Locale } from '../../src/engine/index.js';
import { localCommand } from './local-command.js';

const MAX_TEXT = 2000;
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A valid `POST /local/chat` body. */
export type ChatPost = {
  clientId?: string;
  locale?: Locale;
  toEvent(agent: { name: string }): InboundEvent | undefined;
} & (
  | { kind: 'start' }
  | { kind: 'text'; text: string }
  | { kind: 'command'; text: string }
  | { kind: 'choice'; choiceId: string }
);

/**
 * Checks a posted body: exactly one of `text`, `choiceId`, `start`; an optional message id
 * (`id`, the turn's idempotency key) and `locale`. Text starting with `/agent` or `/login` is
 * a local command (the person plays the agent or the identity provider).
 */
export function parseChatPost(body: unknown): ChatPost | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'body must be a JSON object' };
  const { id, locale, text, choiceId, start } = body as Record<string, unknown>;
  if (id !== undefined && (typeof id !== 'string' || !CLIENT_ID.test(id)))
    return { error: 'id must be 8 to 64 letters, digits, - or _' };
  if (locale !== undefined && locale !== 'it' && locale !== 'en') return { error: 'locale must be it or en' };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (the rule misreads the contextual type)
  const base = { ...(id ? { clientId: id as string } : {}), ...(locale ? { locale: locale as Locale } : {}) };
  if ([text, choiceId, start].filter((value) => value !== undefined).length !== 1)
    return { error: 'send exactly one of text, choiceId, start' };
  if (start !== undefined) {
    if (start !== true) return { error: 'start must be true' };
    return { ...base, kind: 'start', toEvent: () => ({ type: 'session.start' }) };
  }
  if (choiceId !== undefined) {
    if (typeof choiceId !== 'string' || !choiceId || choiceId.length > 200)
      return { error: 'choiceId must be a short string' };
    return { ...base, kind: 'choice', choiceId, toEvent: () => ({ type: 'user.choice', choiceId }) };
  }
  if (typeof text !== 'string' || !text.trim()) return { error: 'text must be a non-empty string' };
  if (text.length > MAX_TEXT) return { error: `text is longer than ${MAX_TEXT} characters` };
  const line = text.trim();
  if (/^\/(agent|login)\b/.test(line))
    return { ...base, kind: 'command', text: line, toEvent: (agent) => localCommand(line, agent) };
  return { ...base, kind: 'text', text: line, toEvent: () => ({ type: 'user.text', text: line }) };
}
