import {
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
} from 'botbuilder';
// botbuilder's own connector package (same pinned 4.23.3): the only home of AuthenticationError.
import {
  AuthenticationConstants,
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { AppError } from '../../src/errors.js';
import { isLoopbackUrl } from './loopback.js';
import { installBoundedKeys, KeysUnavailableError, type OpenIdKeysOptions } from './openid-keys.js';

/** The Bot Framework settings, as `loadConfig().teams` has them (the standard env names). */
export interface TeamsCredentials {
  /** MicrosoftAppId; empty: local mode, nothing authenticated. */
  appId: string;
  /** MicrosoftAppPassword (not for UserAssignedMSI). */
  appPassword?: string;
  /** MicrosoftAppType. */
  appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  /** MicrosoftAppTenantId (SingleTenant, UserAssignedMSI). */
  tenantId?: string;
}

export interface TeamsAuthOptions {
  /**
   * Where to fetch the OpenID metadata (and so the signing keys) that inbound tokens are
   * checked against, for the channel and the Emulator alike. Default: Microsoft's.
   * Tests point it at a JWKS on loopback.
   */
  openIdMetadataUrl?: string;
  /** Credentials for outbound calls. Default: from MicrosoftAppId/Password/Type/TenantId. */
  credentialsFactory?: ServiceClientCredentialsFactory;
  /** Timeout and pause of the signing-key fetch (default 3 s, 10 s). */
  keys?: OpenIdKeysOptions;
}

/**
 * Bot Framework authentication from the standard settings. MicrosoftAppId empty: every
 * request is accepted (local mode, the Emulator). Set: every request needs a token signed
 * by a key from the metadata, issued by the Bot Framework, for this app id, matching the
 * activity's serviceUrl; anything else is a 401 and no turn runs.
 */
export function createTeamsAuthentication(
  teams: TeamsCredentials,
  options: TeamsAuthOptions = {},
): FailClosedAuthentication {
  const credentials =
    options.credentialsFactory ??
    new ConfigurationServiceClientCredentialFactory({
      MicrosoftAppId: teams.appId,
      MicrosoftAppPassword: teams.appPassword ?? '',
      MicrosoftAppType: teams.appType,
      MicrosoftAppTenantId: teams.tenantId ?? '',
    });
  const metadata = options.openIdMetadataUrl;
  // Setting any endpoint switches botbuilder to "all endpoints given", so pass the public-cloud
  // values for the rest; only the metadata URL differs from the defaults.
  const endpoints = metadata
    ? {
        ValidateAuthority: true,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        ToBotFromChannelOpenIdMetadataUrl: metadata,
        ToBotFromEmulatorOpenIdMetadataUrl: metadata,
        CallerId: CallerIdConstants.PublicAzureChannel,
      }
    : {};
  installBoundedKeys(
    [
      metadata ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      metadata ?? AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ],
    options.keys,
  );
  const authentication = new FailClosedAuthentication(
    { MicrosoftAppId: teams.appId, MicrosoftAppTenantId: teams.tenantId ?? '', ...endpoints },
    credentials,
  );
  authentication.loopbackOnly = teams.appId === '';
  return authentication;
}

/** Service URLs (Teams' regional endpoints, an Emulator) whose connector clients are kept; more evict the oldest. */
const CLIENTS_KEPT = 100;

/** Why a request was refused before any turn: 401 (the token) or 503 (the keys, retry later). */
export type Refusal = { status: 401 } | { status: 503; retryAfterS: number };

/**
 * botbuilder answers 401 only for its own AuthenticationError; a forged signature (a
 * `jsonwebtoken` error) would come back as a 500. Any failure to authenticate is a 401 here,
 * except signing keys that cannot be fetched: a 503, since the request may be genuine.
 */
export class FailClosedAuthentication extends ConfigurationBotFrameworkAuthentication {
  /** Emulator mode: every outbound call (reply, proactive, new conversation) to loopback only. */
  loopbackOnly = false;
  /**
   * The result `authenticate` got for a request's activity, handed to CloudAdapter.process,
   * which passes that same activity object on (an AsyncLocalStorage did this before: it turns on
   * promise hooks for the whole process, ~2–3% of the bot's CPU). Were botbuilder to copy the
   * activity, the lookup would miss and the token be checked again: slower, never weaker.
   */
  private readonly checked = new WeakMap<object, AuthenticateRequestResult>();
  /**
   * Connector clients by app id, audience and service URL. CloudAdapter asks for a new one (a
   * new credentials object and HTTP pipeline, ~170 µs of CPU with the user token client) for
   * every inbound activity and every proactive send; a client is stateless between calls and
   * its credentials refresh their token themselves, so one per endpoint serves every turn.
   */
  private readonly clients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  /**
   * Every connector client comes from here (inbound turns too: see authenticateRequest), so this
   * is where a non-loopback call is stopped, before any request.
   */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    let factory: ConnectorFactory | undefined;
    return {
      create: (serviceUrl: string, audience?: string) => {
        if (this.loopbackOnly && !isLoopbackUrl(serviceUrl)) {
          return Promise.reject(
            new AppError(
              'tsid_delivery_failed',
              'Emulator mode (no MicrosoftAppId) sends to a loopback serviceUrl only',
            ),
          );
        }
        const key = `${appId}\n${audience ?? ''}\n${serviceUrl}`;
        let client = this.clients.get(key);
        if (!client) {
          factory ??= super.createConnectorFactory(claimsIdentity);
          client = factory.create(serviceUrl, audience);
          client.catch(() => this.clients.delete(key));
          if (this.clients.size >= CLIENTS_KEPT) this.clients.delete(this.clients.keys().next().value!);
          this.clients.set(key, client);
        }
        return client;
      },
    };
  }

  /** One per app id, for the reason above (the guide uses none, but CloudAdapter builds one per turn). */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = appIdOf(claimsIdentity);
    let client = this.userTokenClients.get(appId);
    if (!client) {
      client = super.createUserTokenClient(claimsIdentity);
      client.catch(() => this.userTokenClients.delete(appId));
      this.userTokenClients.set(appId, client);
    }
    return client;
  }

  /**
   * Checks a request before CloudAdapter sees it (whose refusals print a stack trace and echo
   * the internal error in the body): runs `next` with the result, or returns the refusal.
   */
  async authenticate(activity: Activity, authHeader: string, next: () => Promise<void>): Promise<Refusal | undefined> {
    let result: AuthenticateRequestResult;
    try {
      result = await this.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (error instanceof KeysUnavailableError) return { status: 503, retryAfterS: error.retryAfterS };
      return { status: 401 };
    }
    this.checked.set(activity, result);
    try {
      await next();
    } finally {
      this.checked.delete(activity);
    }
    return undefined;
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const checked = this.checked.get(activity);
    if (checked) return checked;
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      // botbuilder builds the inbound turn's factory itself: use ours, with its kept clients.
      return { ...result, connectorFactory: this.createConnectorFactory(result.claimsIdentity) };
    } catch (error) {
      if (error instanceof AuthenticationError || error instanceof KeysUnavailableError) throw error;
      throw new AuthenticationError('Unauthorized', 401);
    }
  }
}

/** The app id botbuilder gives a connector factory for these claims (its `getAppId`). */
function appIdOf(claims: ClaimsIdentity): string {
  return (
    claims.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claims.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/** The audience of outbound calls in the public cloud (personal chat creation). */
export const CHANNEL_AUDIENCE = AuthenticationConstants.ToChannelFromBotOAuthScope;
