import { afterEach, describe, expect, it } from '@jest/globals';
import { createSlackChannel } from '../../../adapters/slack/index.js';
import { createHttpApp } from '../../../src/app/server.js';
import { FakeSlackApi } from './fake-slack-api.js';
import { dmMessage, SIGNING_SECRET } from './signed-request.js';
import { SlackHarness } from './slack-harness.js';

let fake: FakeSlackApi | undefined;
let harness: SlackHarness | undefined;
afterEach(async () => {
  await fake?.close();
  await harness?.close();
  fake = harness = undefined;
});

describe('createSlackChannel', () => {
  it('fails fast at start when Slack refuses the token, without echoing it', async () => {
    fake = await FakeSlackApi.start();
    fake.fail('auth.test', 'invalid_auth');
    const http = createHttpApp({ readiness: async () => undefined });
    const channel = createSlackChannel({
      botToken: 'xoxb-secret-token',
      signingSecret: SIGNING_SECRET,
      http,
      apiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
    });
    const failure = await channel.start().then(
      () => undefined,
      (error: unknown) => error as Error & { code: string },
    );
    expect(failure?.code).toBe('tsid_config_invalid');
    expect(failure?.message).toContain('invalid_auth');
    expect(failure?.message).not.toContain('xoxb-secret-token');
  });

  it('refuses HTTP mode without a signing secret or the shared HTTP app', () => {
    const http = createHttpApp({ readiness: async () => undefined });
    expect(() => createSlackChannel({ botToken: 'xoxb-test', http })).toThrow(
      expect.objectContaining({ code: 'tsid_config_invalid' }),
    );
    expect(() => createSlackChannel({ botToken: 'xoxb-test', signingSecret: SIGNING_SECRET })).toThrow(
      expect.objectContaining({ code: 'tsid_config_invalid' }),
    );
  });

  it('checks the token once at start, not per request, and serves beside the other routes', async () => {
    const h = (harness = await SlackHarness.start());
    for (const text of ['uno', 'due', 'tre']) await h.slack.event(dmMessage('U1', text));
    await h.outcomesAfter(3);
    expect(h.fake.served('auth.test')).toHaveLength(1);
    expect(h.fake.served('auth.test')[0].args).toEqual({ token: 'xoxb-test' });
    const health = await fetch(`${h.slack.base}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});
