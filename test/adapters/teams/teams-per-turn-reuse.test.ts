import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { ServiceClientCredentials } from 'botframework-connector';
import { channelToken, signingKey, type SigningKey } from './bot-tokens.js';
import { OfflineCredentials } from './offline-credentials.js';
import { TeamsHarness } from './teams-harness.js';
import { createTinyFlow } from './tiny-flow.js';

const APP_ID = '00000000-0000-4000-8000-00000000c11e';

/** Counts credentials made: botbuilder makes one for every connector client and user token client it builds. */
class CountingCredentials extends OfflineCredentials {
  made = 0;
  override async createCredentials(): Promise<ServiceClientCredentials> {
    this.made += 1;
    return super.createCredentials();
  }
}

let harness: TeamsHarness;
let key: SigningKey;
const credentials = new CountingCredentials(APP_ID);

beforeAll(async () => {
  key = await signingKey('clients-key');
  harness = await TeamsHarness.start({
    flow: createTinyFlow(),
    teams: { appId: APP_ID, appPassword: 'not-used' },
    auth: (fake) => ({ openIdMetadataUrl: fake.openIdMetadataUrl, credentialsFactory: credentials }),
  });
  harness.fake.jwks = { keys: [key.jwk] };
});
afterAll(async () => harness.close());

async function turn(text: string): Promise<number> {
  const sent = harness.fake.captured.length;
  const authorization = `Bearer ${await channelToken(key, { aud: APP_ID, serviceurl: harness.fake.serviceUrl })}`;
  const response = await harness.post(harness.activity({ text }), { authorization });
  expect(response.status).toBe(200);
  return harness.fake.captured.length - sent;
}

describe('Teams token checks', () => {
  it("check a request's token once: CloudAdapter gets the result the channel's check already had", async () => {
    const checks = jest.spyOn(ConfigurationBotFrameworkAuthentication.prototype, 'authenticateRequest');
    try {
      expect(await turn('hi')).toBe(1);
      expect(checks).toHaveBeenCalledTimes(1);
    } finally {
      checks.mockRestore();
    }
  });
});

describe('Teams connector clients', () => {
  it('are built once per service URL and kept, not built again for every inbound turn and proactive send', async () => {
    expect(await turn('hi')).toBe(1);
    const afterFirst = credentials.made;
    expect(afterFirst).toBeGreaterThan(0);
    for (const text of ['hi', 'hi', 'hi', 'hi']) expect(await turn(text)).toBe(1);
    expect(credentials.made).toBe(afterFirst);
  });
});
