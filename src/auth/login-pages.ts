import type { Response } from 'express';
import type { ConversationKey } from '../contract/messages.js';

/** The pages a browser sees at the end of a login link that did not sign in (else renderCodePage). */
export type LoginPage = 'expired' | 'used' | 'stale' | 'failed' | 'unavailable';

interface Copy {
  title: string;
  body: string;
}

// Static copy in both languages on one page: the browser knows nothing of the chat's
// language, and no conversation data may appear here.
const PAGES: Record<LoginPage, { status: number; it: Copy; en: Copy }> = {
  expired: {
    status: 410,
    it: { title: 'Link scaduto', body: 'Questo link non è più valido. Torna alla chat e chiedi al bot un nuovo link.' },
    en: { title: 'This link has expired', body: 'Go back to the chat and ask the bot for a new link.' },
  },
  used: {
    status: 409,
    it: {
      title: 'Link già usato',
      body: 'Questo link è già stato usato. Se ti serve, chiedi al bot un nuovo link nella chat.',
    },
    en: { title: 'This link was already used', body: 'If you need one, ask the bot for a new link in the chat.' },
  },
  stale: {
    status: 410,
    it: { title: 'Link non più valido', body: 'Questo link non è più valido, usa il più recente nella chat.' },
    en: { title: 'This link is no longer current', body: 'Use the newest link in the chat.' },
  },
  failed: {
    status: 400,
    it: { title: 'Accesso non riuscito', body: 'Torna alla chat e chiedi al bot un nuovo link.' },
    en: { title: 'Sign-in failed', body: 'Go back to the chat and ask the bot for a new link.' },
  },
  unavailable: {
    status: 503,
    it: {
      title: 'Accesso non riuscito',
      body: 'Il servizio TeamSystem ID non risponde in questo momento. Torna alla chat: il bot ti dice come andare avanti.',
    },
    en: {
      title: 'Sign-in failed',
      body: 'The TeamSystem ID service is not answering right now. Go back to the chat: the bot tells you how to go on.',
    },
  },
};

/** Headers for every answer of the login routes: nothing cached, nothing loaded, no referrer. */
export const PAGE_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** The page as HTML with its status code. Pure. */
export function renderLoginPage(page: LoginPage): { status: number; html: string } {
  const { status, it, en } = PAGES[page];
  return { status, html: html(it, en) };
}

const PLATFORMS: Record<ConversationKey['channel'], { it: string; en: string }> = {
  slack: { it: 'su Slack', en: 'in Slack' },
  teams: { it: 'su Microsoft Teams', en: 'in Microsoft Teams' },
  local: { it: 'nella chat di prova', en: 'in the test chat' },
};

/**
 * The end of a sign-in: the one-time code to type in the chat, and which chat it is for
 * (the platform; never who is in it). Someone who did not open the link from that chat
 * themselves reads here not to pass the code on. `code` is six digits (nothing to escape).
 */
export function renderCodePage(code: string, channel: ConversationKey['channel']): { status: number; html: string } {
  const where = PLATFORMS[channel];
  const it: Copy = {
    title: 'Ancora un passo',
    body: `Scrivi questo codice nella chat con l'assistente TS ID ${where.it}: <strong>${code}</strong><br>Non dare il codice a nessuno. Se non hai aperto tu il link da quella chat, chiudi questa pagina.`,
  };
  const en: Copy = {
    title: 'One more step',
    body: `Type this code in the chat with the TS ID assistant ${where.en}: <strong>${code}</strong><br>Do not give the code to anyone. If you did not open the link from that chat yourself, close this page.`,
  };
  return { status: 200, html: html(it, en) };
}

/** Sends the code page with PAGE_HEADERS. */
export function sendCodePage(res: Response, code: string, channel: ConversationKey['channel']): void {
  const { status, html: body } = renderCodePage(code, channel);
  res.status(status).set(PAGE_HEADERS).type('html').send(body);
}

function html(it: Copy, en: Copy): string {
  return `<!doctype html>
<html lang="it">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${it.title} · ${en.title}</title></head>
<body>
<main>
<section lang="it"><h1>${it.title}</h1><p>${it.body}</p></section>
<hr>
<section lang="en"><h1>${en.title}</h1><p>${en.body}</p></section>
</main>
</body>
</html>
`;
}

/** Sends a login page with PAGE_HEADERS. */
export function sendLoginPage(res: Response, page: LoginPage): void {
  const { status, html } = renderLoginPage(page);
  res.status(status).set(PAGE_HEADERS).type('html').send(html);
}
