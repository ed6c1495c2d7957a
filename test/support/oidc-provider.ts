import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** The accounts of the test identity provider. */
export const TEST_USERS = {
  alice: { email: 'alice@example.test', emailVerified: true },
  bob: { email: 'bob@example.test', emailVerified: false },
} as const;

export type TestUserId = keyof typeof TEST_USERS;

/** A real OpenID provider (oidc-provider 9) in-process on loopback, for tests only. */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who signs in at the next login prompt (default alice). */
  signInAs: TestUserId;
  /** Requests that reached the token endpoint so far. */
  readonly tokenRequests: number;
  /** Stops listening: the provider is "down" (connection refused) until `start()`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the test IdP: one confidential client (client_secret_basic) with exactly one
 * redirect URI, PKCE required, and headless interactions (notes/tech.md §2.2): the login
 * prompt signs in `signInAs`, the consent prompt grants what was asked.
 * Prints oidc-provider's warnings (Node 20 "Unsupported runtime", dev keys): expected.
 */
export async function startTestIdp(options: { redirectUri: string }): Promise<TestIdp> {
  let provider: Provider | undefined;
  let tokenRequests = 0;
  const state = { signInAs: 'alice' as TestUserId };
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/token')) tokenRequests++;
    void handle(provider!, state, req, res);
  });
  await listenOn(server, 0);
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = 'tsid-assistant';
  const clientSecret = 'test-only-client-secret';
  provider = new Provider(issuer, configuration(clientId, clientSecret, options.redirectUri));

  return {
    issuer,
    clientId,
    clientSecret,
    get signInAs() {
      return state.signInAs;
    },
    set signInAs(user: TestUserId) {
      state.signInAs = user;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    stop: () => closeServer(server),
    start: () => listenOn(server, port),
    close: () => (server.listening ? closeServer(server) : Promise.resolve()),
  };
}

function configuration(clientId: string, clientSecret: string, redirectUri: string): Configuration {
  return {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    async findAccount(_ctx, sub) {
      const user = TEST_USERS[sub as TestUserId];
      if (!user) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: user.email, email_verified: user.emailVerified }) };
    },
    cookies: { keys: ['test-only-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  };
}

async function handle(provider: Provider, state: { signInAs: TestUserId }, req: IncomingMessage, res: ServerResponse) {
  if (!/^\/interaction\/[^/?]+/.test(req.url ?? '')) return provider.callback()(req, res);
  try {
    const { prompt, params, session } = await provider.interactionDetails(req, res);
    if (prompt.name === 'login') {
      const result = { login: { accountId: state.signInAs } };
      return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }
    if (prompt.name === 'consent') {
      const grant = new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
      const details = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
      if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
      const grantId = await grant.save();
      return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    res.statusCode = 501;
    res.end(`unhandled prompt ${prompt.name}`);
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error));
  }
}

function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
