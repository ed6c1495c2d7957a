/**
 * Login links: verify the customer's TS ID with OpenID Connect. The only importer of
 * openid-client. main.ts calls `createOidcLogin` when OIDC_ISSUER is set, passes
 * `prepareMessage` to the engine and mounts the routes on the shared HTTP app.
 * @packageDocumentation
 */
export { createOidcLogin, type OidcLogin, type OidcLoginOptions } from './oidc-login.js';
export type { AuthLogger } from './login-routes.js';
export { MemoryLoginLinkStore } from './memory-login-link-store.js';
export {
  PENDING_PER_LINK,
  type LoginLinkStore,
  type LoginLink,
  type PendingLogin,
  type LinkLookup,
} from './login-link-store.js';
export { renderLoginPage, type LoginPage } from './login-pages.js';
export { LOGIN_LINK_TTL_MS } from './tokens.js';
export { SCOPES } from './oidc-client.js';
