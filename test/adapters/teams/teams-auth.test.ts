import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { channelToken, signingKey, type SigningKey } from './bot-tokens.js';
import { OfflineCredentials } from './offline-credentials.js';
import { cardOf, readCard } from './read-cards.js';
import { TeamsHarness } from './teams-harness.js';
import { createTinyFlow } from './tiny-flow.js';

const APP_ID = '00000000-0000-4000-8000-00000000a11d';

let harness: TeamsHarness;
let trusted: SigningKey;
let stranger: SigningKey;
// botbuilder prints forged signatures and expired tokens with console.error: kept out of the
// test output, and checked for tokens (they must never reach a log).
const printed: string[] = [];
const tokensSent: string[] = [];
jest
  .spyOn(console, 'error')
  .mockImplementation(
    (...args: unknown[]) =>
      void printed.push(
        args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : String(arg))).join(' '),
      ),
  );

beforeAll(async () => {
  trusted = await signingKey('trusted-key');
  stranger = await signingKey('stranger-key');
  harness = await TeamsHarness.start({
    flow: createTinyFlow(),
    teams: { appId: APP_ID, appPassword: 'not-used' },
    auth: (fake) => ({ openIdMetadataUrl: fake.openIdMetadataUrl, credentialsFactory: new OfflineCredentials(APP_ID) }),
  });
  harness.fake.jwks = { keys: [trusted.jwk] };
});
afterAll(async () => harness.close());

/** Posts a message with this Authorization header; reports the status and whether a turn ran. */
async function attempt(authorization: string | undefined, fields: Record<string, unknown> = {}) {
  const turns = harness.turnsStarted;
  const sent = harness.fake.captured.length;
  if (authorization) tokensSent.push(authorization.split(' ')[1] ?? '');
  const response = await harness.post(
    harness.activity({ text: 'hi', ...fields }),
    authorization ? { authorization } : {},
  );
  return { status: response.status, turns: harness.turnsStarted - turns, sent: harness.fake.captured.length - sent };
}
const token = (claims: Partial<Parameters<typeof channelToken>[1]> = {}, key = trusted, kid?: string) =>
  channelToken(key, { aud: APP_ID, serviceurl: harness.fake.serviceUrl, ...claims }, kid);

describe('Teams channel with MicrosoftAppId set', () => {
  it('is authenticated, and says nothing about local mode', () => {
    expect(harness.channel.authEnabled).toBe(true);
    expect(harness.logs.filter((entry) => entry.level === 'warn')).toEqual([]);
  });

  it('accepts a token signed by a published key, for this app and this serviceUrl (the control case)', async () => {
    expect(await attempt(`Bearer ${await token()}`)).toEqual({ status: 200, turns: 1, sent: 1 });
    const reply = harness.fake.posted().at(-1)!;
    expect(readCard(cardOf(reply.activity)).text).toBe('hello (it) ACME');
    expect(reply.authorization).toBe('Bearer outbound-test');
  });

  it.each([
    ['no token', async () => undefined],
    ['a token signed by an unknown key', async () => `Bearer ${await token({}, stranger)}`],
    [
      'a token with a published key id but a forged signature',
      async () => `Bearer ${await token({}, stranger, 'trusted-key')}`,
    ],
    [
      'a token for another audience',
      async () => `Bearer ${await token({ aud: '11111111-1111-4111-8111-111111111111' })}`,
    ],
    ['a token from another issuer', async () => `Bearer ${await token({ iss: 'https://evil.example' })}`],
    ['an expired token', async () => `Bearer ${await token({ expiresInS: -3600 })}`],
    ['a token for another serviceUrl', async () => `Bearer ${await token({ serviceurl: 'https://evil.example/' })}`],
    ['a token in the wrong scheme', async () => `Basic ${await token()}`],
    ['garbage', async () => 'Bearer not.a.jwt'],
  ])('refuses %s with 401 and runs no turn', async (_what, header) => {
    expect(await attempt(await header())).toEqual({ status: 401, turns: 0, sent: 0 });
  });

  it('ignores an authenticated activity from a channel other than Teams (200, no turn)', async () => {
    expect(await attempt(`Bearer ${await token()}`, { channelId: 'webchat' })).toEqual({
      status: 200,
      turns: 0,
      sent: 0,
    });
  });
});

describe('when the signing keys cannot be fetched', () => {
  it('fails closed, fast: 503 with Retry-After (the token may be genuine) and no turn', async () => {
    const offline = await TeamsHarness.start({
      flow: createTinyFlow(),
      teams: { appId: APP_ID, appPassword: 'not-used' },
      // A closed loopback port: connection refused at once.
      auth: () => ({
        openIdMetadataUrl: 'http://127.0.0.1:9/openid',
        credentialsFactory: new OfflineCredentials(APP_ID),
      }),
    });
    try {
      const jwt = await channelToken(trusted, { aud: APP_ID, serviceurl: offline.fake.serviceUrl });
      const response = await offline.post(offline.activity({ text: 'hi' }), { authorization: `Bearer ${jwt}` });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(offline.turnsStarted).toBe(0);
    } finally {
      await offline.close();
    }
  });
});

describe('what botbuilder printed about the refused requests', () => {
  it('never contains a token', () => {
    const signatures = tokensSent.map((jwt) => jwt.split('.')[2] ?? '').filter((signature) => signature.length > 20);
    expect(signatures.length).toBeGreaterThan(5);
    expect(printed.length).toBeGreaterThan(0);
    for (const signature of signatures) expect(printed.filter((line) => line.includes(signature))).toEqual([]);
  });
});
