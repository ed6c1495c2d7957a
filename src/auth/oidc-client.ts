import * as client from 'openid-client';
import { ProviderUnreachable, toLoginError } from './oidc-errors.js';

export interface OidcClientOptions {
  issuer: string;
  clientId: string;
  /** Set: a confidential client (client_secret_basic). Unset: a public client (PKCE only). */
  clientSecret?: string;
  /** `${PUBLIC_BASE_URL}/auth/callback`, registered at the identity provider. */
  redirectUri: string;
  /** Seconds per request to the provider (default 10). */
  timeoutSeconds?: number;
  /** Tests: a fetch that counts or fails requests. */
  fetch?: typeof fetch;
  /** Tests and local mode only: allow an `http://` issuer. */
  allowInsecureRequests?: boolean;
}

/** What a started sign-in must remember until its callback. */
export interface SignInSecrets {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Who signed in. Only this leaves the module: no token does. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
}

/** The scopes asked for: the e-mail address is all the guide needs. */
export const SCOPES = 'openid email';

/**
 * The one place that talks to the identity provider. Discovery runs lazily and a failure
 * is forgotten, so a provider that is down at start only fails the sign-ins made meanwhile.
 * Every failure is an AppError (`tsid_login_unavailable` or `tsid_login_failed`).
 */
export class OidcClient {
  private config?: Promise<client.Configuration>;

  constructor(private readonly options: OidcClientOptions) {}

  /** Fresh secrets and the authorization URL (code flow, PKCE S256, state, nonce). */
  async startSignIn(): Promise<{ secrets: SignInSecrets; url: URL }> {
    const config = await this.discover();
    const secrets = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: SCOPES,
      code_challenge: await client.calculatePKCECodeChallenge(secrets.codeVerifier),
      code_challenge_method: 'S256',
      state: secrets.state,
      nonce: secrets.nonce,
    });
    return { secrets, url };
  }

  /**
   * Checks the authorization response (`search`: the callback's query string), redeems the
   * code and reads the e-mail (from the ID token, else from userinfo).
   */
  async finishSignIn(search: string, secrets: SignInSecrets): Promise<VerifiedIdentity> {
    const config = await this.discover();
    // The redirect_uri sent to the token endpoint is derived from this URL: build it from the
    // public base URL, never from the Host header (a proxy would make them differ).
    const currentUrl = new URL(this.options.redirectUri);
    currentUrl.search = search;
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: secrets.codeVerifier,
        expectedState: secrets.state,
        expectedNonce: secrets.nonce,
      });
      const claims = tokens.claims()!;
      let email: unknown = claims.email;
      let verified: unknown = claims.email_verified;
      if (typeof email !== 'string') {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        [email, verified] = [info.email, info.email_verified];
      }
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof email === 'string' ? email : undefined,
        emailVerified: verified === true,
      };
    } catch (error) {
      throw toLoginError(error);
    }
  }

  private discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, timeoutSeconds, allowInsecureRequests } = this.options;
    this.config ??= client
      .discovery(
        new URL(issuer),
        clientId,
        undefined,
        clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
        {
          [client.customFetch]: guardedFetch(this.options.fetch ?? fetch),
          execute: allowInsecureRequests ? [client.allowInsecureRequests] : [],
          timeout: timeoutSeconds ?? 10,
        },
      )
      .catch((error: unknown) => {
        this.config = undefined; // try again on the next sign-in
        throw toLoginError(error);
      });
    return this.config;
  }
}

/** Network failures and 5xx answers become ProviderUnreachable, so they are told apart by type. */
function guardedFetch(base: typeof fetch): client.CustomFetch {
  return async (url, init) => {
    let response: Response;
    try {
      response = await base(url, init);
    } catch (cause) {
      throw new ProviderUnreachable(`${init.method} ${new URL(url).host}`, { cause });
    }
    if (response.status >= 500)
      throw new ProviderUnreachable(`${init.method} ${new URL(url).host}: ${response.status}`);
    return response;
  };
}
