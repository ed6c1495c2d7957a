import type { Express } from 'express';
import type { Config } from '../config/load-config.js';
import type { ConversationKey, OutboundMessage, PrepareMessage, TurnHandler } from '../engine/index.js';
import type { Clock } from '../scheduler/clock.js';
import type { LoginLinkStore } from './login-link-store.js';
import { finishLogin, startLogin, type AuthLogger } from './login-routes.js';
import { OidcClient } from './oidc-client.js';
import { LOGIN_LINK_TTL_MS, newLinkId } from './tokens.js';

export interface OidcLoginOptions {
  oidc: NonNullable<Config['oidc']>;
  /** Where login links point; the redirect URI is `${publicBaseUrl}/auth/callback`. */
  publicBaseUrl: string;
  linkStore: LoginLinkStore;
  /** Where `auth.completed` / `auth.failed` go, and who says whether a sign-in is awaited (the ConversationEngine). */
  turns: Pick<TurnHandler, 'handle' | 'status'>;
  clock: Clock;
  logger?: AuthLogger;
  /** Seconds per request to the identity provider (default 10). */
  timeoutSeconds?: number;
  /** Tests: a fetch that counts or fails requests to the identity provider. */
  customFetch?: typeof fetch;
  /** Tests and local mode only: allow an `http://` issuer. */
  allowInsecureRequests?: boolean;
}

export interface OidcLogin {
  /** EngineOptions.prepareMessage: attaches a personal login link to a prompt that asks for one. */
  prepareMessage: PrepareMessage;
  /** Adds GET /auth/login/:linkId and GET /auth/callback to the shared app. */
  mount(app: Express): void;
}

/** Label used when a flow asks for a login link without giving a localised label. */
const DEFAULT_LABEL = 'Accedi con TeamSystem ID / Sign in with TeamSystem ID';

const silent: AuthLogger = { info: () => undefined, warn: () => undefined };

/**
 * Login links that verify the customer's TS ID with OpenID Connect (authorization code,
 * PKCE S256, state, nonce). A link is opaque, single-use, bound to the conversation it was
 * made for, and works for 10 minutes; only issuer, subject and e-mail reach the conversation.
 */
export function createOidcLogin(options: OidcLoginOptions): OidcLogin {
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  const callbackUrl = new URL(`${base}/auth/callback`);
  const client = new OidcClient({
    issuer: options.oidc.issuer,
    clientId: options.oidc.clientId,
    clientSecret: options.oidc.clientSecret,
    redirectUri: callbackUrl.href,
    timeoutSeconds: options.timeoutSeconds,
    fetch: options.customFetch,
    allowInsecureRequests: options.allowInsecureRequests,
  });
  const deps = {
    client,
    store: options.linkStore,
    turns: options.turns,
    clock: options.clock,
    logger: options.logger ?? silent,
    callbackUrl,
  };

  async function prepareMessage(message: OutboundMessage, key: ConversationKey): Promise<OutboundMessage> {
    if (message.kind !== 'prompt' || !message.loginLink) return message;
    const linkId = newLinkId();
    const now = options.clock.now();
    await options.linkStore.saveLink(
      linkId,
      { key, createdAt: now, expiresAt: now + LOGIN_LINK_TTL_MS },
      LOGIN_LINK_TTL_MS,
    );
    const link = { label: message.loginLabel ?? DEFAULT_LABEL, url: `${base}/auth/login/${linkId}` };
    return { ...message, links: [...(message.links ?? []), link] };
  }

  return {
    prepareMessage,
    mount(app) {
      app.get('/auth/login/:linkId', startLogin(deps));
      app.get('/auth/callback', finishLogin(deps));
    },
  };
}
