/**
 * The local web chat (`GET /`): the guide in a browser, without Slack or Teams. Each browser
 * gets a random session id in a cookie; its lines are kept in memory (local use only).
 */
import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { systemText, type ConversationKey, type Deliver, type TurnHandler } from '../../src/engine/index.js';
import { asAppError, isTemporary } from '../../src/errors.js';
import { parseChatPost, type ChatPost } from './web-chat-request.js';
import { WEB_CHAT_CSP, WEB_CHAT_PAGE } from './web-chat-page.js';
import { WebChatSessions, type WebChatLimits } from './web-chat-sessions.js';
import { toChatLine } from './web-chat-view.js';

export interface WebChatOptions {
  turns: TurnHandler;
  limits?: Partial<WebChatLimits>;
  /** Told about turns that failed for another reason than the store being down. */
  onError?: (error: unknown) => void;
}

export interface WebChat {
  /** Adds `GET /`, `POST /local/chat` and `GET /local/chat/messages` to the app. */
  mount(app: Express): void;
  /** Delivers both audiences of `local:web:*` conversations: helpdesk lines go to the side panel. */
  deliver: Deliver;
  sessions: WebChatSessions;
}

const COOKIE = 'tsid_web_chat';
const SESSION_ID = /^[A-Za-z0-9_-]{24}$/;
/** The web chat's conversations: tenant `web`, one user per browser session. */
export const WEB_TENANT = 'web';

export function createWebChat(options: WebChatOptions): WebChat {
  const sessions = new WebChatSessions(options.limits);

  const deliver: Deliver = async ({ key, message }) => {
    if (key.channel !== 'local' || key.tenant !== WEB_TENANT) return;
    sessions.append(key.user, toChatLine(message));
  };

  async function post(req: Request, res: Response): Promise<void> {
    const parsed = parseChatPost(req.body);
    if ('error' in parsed) {
      res.status(400).json({ error: 'tsid_request_invalid', text: parsed.error });
      return;
    }
    const session = sessionOf(req, res);
    const key: ConversationKey = { channel: 'local', tenant: WEB_TENANT, user: session };
    const event = parsed.toEvent(sessions.session(session).agent);
    if (!event) {
      res.status(400).json({
        error: 'tsid_request_invalid',
        text: 'Unknown local command. Try /agent take NAME, /agent say NAME: text, /agent back STEP, /agent close, /login EMAIL.',
      });
      return;
    }
    if (parsed.clientId === undefined || !sessions.hasClientId(session, parsed.clientId)) echo(session, parsed);
    try {
      const result = await options.turns.handle({
        key,
        event,
        locale: parsed.locale,
        ...(parsed.clientId ? { idempotencyKey: `local:${WEB_TENANT}:${session}:${parsed.clientId}` } : {}),
      });
      res.json({ status: result.status, step: result.step });
    } catch (error) {
      const appError = asAppError(error);
      if (isTemporary(appError)) {
        res.status(503).json({ error: appError.code, text: systemText('retryLater', parsed.locale) });
        return;
      }
      options.onError?.(appError);
      res.status(500).json({
        error: 'tsid_internal',
        text: parsed.locale === 'en' ? 'Something went wrong.' : 'Qualcosa è andato storto.',
      });
    }
  }

  /** What the person typed or clicked, shown as their own line (commands in the helpdesk panel). */
  function echo(session: string, parsed: ChatPost): void {
    const clientId = parsed.clientId ? { clientId: parsed.clientId } : {};
    if (parsed.kind === 'command') sessions.append(session, { from: 'command', text: parsed.text, ...clientId });
    if (parsed.kind === 'text') sessions.append(session, { from: 'you', text: parsed.text, ...clientId });
    if (parsed.kind === 'choice') {
      const offered = sessions
        .session(session)
        .entries.flatMap((entry) => entry.choices ?? [])
        .reverse()
        .find((choice) => choice.id === parsed.choiceId);
      sessions.append(session, { from: 'you', text: offered?.label ?? parsed.choiceId, ...clientId });
    }
  }

  function messages(req: Request, res: Response): void {
    const after = typeof req.query.after === 'string' ? req.query.after : '0';
    if (!/^\d{1,15}$/.test(after)) {
      res.status(400).json({ error: 'tsid_request_invalid', text: 'after must be a message number' });
      return;
    }
    const session = existingSession(req);
    res.json(session ? sessions.after(session, Number(after)) : { messages: [], last: 0 });
  }

  return {
    deliver,
    sessions,
    mount(app) {
      const json = express.json({ limit: '16kb' });
      app.get('/', (req, res) => {
        sessionOf(req, res);
        res.set({ 'Content-Security-Policy': WEB_CHAT_CSP, 'Referrer-Policy': 'no-referrer' });
        res.type('html').send(WEB_CHAT_PAGE);
      });
      app.use('/local/chat', (_req, res, next) => {
        res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
        next();
      });
      const handle = (req: Request, res: Response, next: NextFunction) => {
        if (!req.is('application/json')) res.status(415).json({ error: 'tsid_request_invalid', text: 'send JSON' });
        else post(req, res).catch(next);
      };
      app.post('/local/chat', json, handle, badBody);
      app.get('/local/chat/messages', messages);
    },
  };
}

/** Malformed or oversized JSON gets a short answer, not a stack trace. */
function badBody(error: { status?: number }, _req: Request, res: Response, _next: NextFunction): void {
  const status = error.status === 413 ? 413 : 400;
  res
    .status(status)
    .json({ error: 'tsid_request_invalid', text: status === 413 ? 'message too large' : 'body is not JSON' });
}

function existingSession(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value && SESSION_ID.test(value)) return value;
  }
  return undefined;
}

/** The browser's session id, or a new one set as an HttpOnly, same-site cookie. */
function sessionOf(req: Request, res: Response): string {
  const existing = existingSession(req);
  if (existing) return existing;
  const id = randomBytes(18).toString('base64url');
  res.cookie(COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: '/',
    maxAge: 30 * 86_400_000,
  });
  return id;
}
