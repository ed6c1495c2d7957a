import type { Request, Response } from 'express';
import { conversationId, type ConversationKey, type TurnHandler } from '../engine/index.js';
import { AppError, asAppError } from '../errors.js';
import type { Clock } from '../scheduler/clock.js';
import { readBinding, sameBinding, writeBinding } from './browser-binding.js';
import type { LoginLink, LoginLinkStore } from './login-link-store.js';
import { PAGE_HEADERS, sendCodePage, sendLoginPage, type LoginPage } from './login-pages.js';
import { newLoginCode } from '../contract/login-code.js';
import { subjectHash } from '../contract/audit.js';
import type { OidcClient } from './oidc-client.js';
import { describe } from './oidc-errors.js';
import { isLinkId, LOGIN_LINK_TTL_MS, randomToken } from './tokens.js';

// A started sign-in lives 10 minutes from its start, so it usually outlives its link and a
// callback that comes too late hears "expired" (the link's own check), not a bare "failed".
const PENDING_TTL_MS = LOGIN_LINK_TTL_MS;
/** Our states are openid-client's randomState() (43 characters); anything else is not looked up. */
const STATE = /^[A-Za-z0-9_-]{16,128}$/;

/** Pino-compatible; messages never carry an e-mail, a token, a link id or a state. */
export interface AuthLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface LoginRouteDeps {
  client: OidcClient;
  store: LoginLinkStore;
  turns: Pick<TurnHandler, 'handle' | 'status'>;
  clock: Clock;
  logger: AuthLogger;
  callbackUrl: URL;
}

/**
 * GET /auth/login/:linkId. Uses nothing up and tells the conversation nothing (a link
 * preview may fetch it): checks the link, starts a sign-in under a fresh `state` and
 * redirects to the identity provider. Any failure here only shows a page.
 */
export function startLogin(deps: LoginRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const linkId = String(req.params.linkId);
    let link: LoginLink | undefined;
    try {
      link = await usableLink(deps, linkId);
      await stillAwaited(deps, link);
      const { secrets, url } = await deps.client.startSignIn();
      const browserBinding = readBinding(req) ?? randomToken();
      await deps.store.savePending(secrets.state, { ...secrets, linkId, browserBinding }, PENDING_TTL_MS);
      writeBinding(res, browserBinding, deps.callbackUrl, PENDING_TTL_MS);
      res.status(303).set(PAGE_HEADERS).location(url.href).end();
    } catch (error) {
      await answerFailure(deps, res, error, undefined, '');
    }
  };
}

/**
 * GET /auth/callback. The `state` is taken once and must come from the browser that
 * started the sign-in, for the conversation's current link while it waits for a sign-in;
 * only then is the code redeemed. The link is used up after the identity is known, so of
 * several sign-ins on one link only the first to finish counts. The page then shows a
 * one-time code: the conversation takes the identity only when the code is typed in it.
 */
export function finishLogin(deps: LoginRouteDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const states = new URLSearchParams(search).getAll('state');
    let link: LoginLink | undefined;
    try {
      const pending =
        states.length === 1 && STATE.test(states[0]) ? await deps.store.takePending(states[0]) : undefined;
      if (!pending)
        throw new AppError('tsid_login_failed', 'callback without a known state (replayed, forged or stale)');
      if (!sameBinding(readBinding(req), pending.browserBinding)) {
        throw new AppError('tsid_login_failed', 'callback from another browser than the one that started the sign-in');
      }
      link = await usableLink(deps, pending.linkId);
      await stillAwaited(deps, link);
      const identity = await deps.client.finishSignIn(search, { ...pending, state: states[0] });
      if (!identity.email) throw new AppError('tsid_login_failed', 'the identity provider gave no e-mail address');
      const consumed = await deps.store.consumeLink(pending.linkId, LOGIN_LINK_TTL_MS);
      if (!consumed) throw new AppError('tsid_login_used', 'login link already used by another sign-in');
      const { issuer, subject, email, emailVerified } = identity;
      const { code, hashed } = newLoginCode();
      const turn = await deps.turns.handle({
        key: consumed.key,
        event: { type: 'auth.completed', issuer, subject, email, emailVerified, code: hashed },
        idempotencyKey: `auth:${pending.linkId}`,
      });
      // The conversation left the sign-in between the check and the turn: no code to show for it.
      if (turn.status === 'done' && turn.messages.length === 0) {
        throw new AppError('tsid_login_stale', 'the conversation left the sign-in before the callback finished');
      }
      deps.logger.info(
        {
          conversationId: conversationId(consumed.key),
          subject: subjectHash(issuer, subject),
          emailVerified,
          codeConfirmed: false,
        },
        'login link: signed in, waiting for the code in the chat',
      );
      sendCodePage(res, code, consumed.key.channel);
    } catch (error) {
      await answerFailure(deps, res, error, link?.key, `auth.failed:${states[0]}`);
    }
  };
}

async function usableLink(deps: LoginRouteDeps, linkId: string): Promise<LoginLink> {
  const found = isLinkId(linkId) ? await deps.store.findLink(linkId) : ({ status: 'unknown' } as const);
  if (found.status === 'used') throw new AppError('tsid_login_used', 'login link already used');
  if (found.status === 'revoked') throw new AppError('tsid_login_stale', 'login link replaced by a newer one');
  if (found.status === 'unknown' || deps.clock.now() >= found.link.expiresAt) {
    throw new AppError('tsid_login_expired', 'login link expired or unknown');
  }
  return found.link;
}

/** A link counts only while its conversation waits for a sign-in (leaving the step revokes it). */
async function stillAwaited(deps: LoginRouteDeps, link: LoginLink): Promise<void> {
  const status = await deps.turns.status(link.key);
  if (!status?.awaitingLogin) throw new AppError('tsid_login_stale', 'the conversation no longer waits for a sign-in');
}

const PAGES: Partial<Record<AppError['code'], LoginPage>> = {
  tsid_login_expired: 'expired',
  tsid_login_used: 'used',
  tsid_login_stale: 'stale',
  tsid_login_unavailable: 'unavailable',
};

/**
 * The page for the failure. The conversation (when known) hears about provider and sign-in
 * failures first, so the chat already says how to go on when the page asks to go back there.
 */
async function answerFailure(
  deps: LoginRouteDeps,
  res: Response,
  error: unknown,
  key: ConversationKey | undefined,
  idem: string,
) {
  const appError = asAppError(error);
  const page = PAGES[appError.code] ?? 'failed';
  const id = key && conversationId(key);
  const detail = error instanceof AppError ? error.message : describe(error);
  deps.logger.warn({ code: appError.code, conversationId: id, detail }, `login link: ${page}`);
  const reason =
    appError.code === 'tsid_login_unavailable'
      ? 'provider_unavailable'
      : appError.code === 'tsid_login_failed'
        ? 'sign_in_failed'
        : undefined;
  if (key && reason) {
    await deps.turns
      .handle({ key, event: { type: 'auth.failed', reason }, idempotencyKey: idem })
      .catch((turnError: unknown) => {
        deps.logger.warn(
          { code: asAppError(turnError).code, conversationId: id },
          'login link: could not tell the conversation',
        );
      });
  }
  sendLoginPage(res, page);
}
