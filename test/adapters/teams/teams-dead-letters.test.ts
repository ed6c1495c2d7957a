import { afterEach, describe, expect, it } from '@jest/globals';
import { systemText } from '../../../src/engine/index.js';
import type { AppError } from '../../../src/errors.js';
import { connectorRejection } from '../../../adapters/teams/deliver-retry.js';
import { cardOf, readCard } from './read-cards.js';
import { TeamsHarness } from './teams-harness.js';
import { createTinyFlow } from './tiny-flow.js';

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const CONVERSATION = 'teams:tenant-1:aad-user-1';
const texts = () => harness.fake.posted().map((entry) => readCard(cardOf(entry.activity)).text);

describe('a Teams delivery refused for good does not wedge the conversation', () => {
  it('a 413 from the connector goes to the dead letters, a notice takes its place, and the next messages arrive', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    await harness.post(harness.activity({ text: 'hi' }));
    harness.fake.failNext({ status: 413, times: 1 });
    await harness.post(harness.activity({ text: 'burst' }));
    await harness.post(harness.activity({ text: 'after' }));
    expect(texts()).toEqual([
      'hello (it) ACME',
      systemText('undeliverable', 'it'),
      'part 2',
      'part 3',
      'you said: after',
    ]);
    expect(await harness.store.pendingOutbox(CONVERSATION)).toEqual([]);
    const letters = await harness.store.deadLetters(10);
    expect(letters.map((letter) => [letter.id, letter.code, letter.reason])).toEqual([
      [`${CONVERSATION}/2.0`, 'tsid_delivery_rejected', 'http_413'],
    ]);
    expect(letters[0].item).toMatchObject({ type: 'message', message: { kind: 'prompt', text: 'part 1' } });
  });

  it('a 429 that outlasts the retries stays in the outbox (not dead-lettered) and goes out later', async () => {
    harness = await TeamsHarness.start({ flow: createTinyFlow() });
    harness.fake.failNext({ status: 429, times: 4 }); // every attempt of withRetry
    await harness.post(harness.activity({ text: 'hi' }));
    expect(texts()).toEqual([]);
    expect(await harness.store.deadLetters(10)).toEqual([]);
    expect(await harness.store.pendingOutbox(CONVERSATION)).toHaveLength(1);
    await harness.engine.flush(CONVERSATION); // what the outbox sweeper does
    expect(texts()).toEqual(['hello (it) ACME']);
  });

  // The connector client retries a 5xx inside the SDK with real backoff (16 calls would take ~20 s here), so the
  // 5xx and 4xx split is checked on the connector's own error shape.
  it.each([
    [400, 'http_400'],
    [403, 'http_403'],
    [404, 'http_404'],
    [413, 'http_413'],
    [401, undefined],
    [408, undefined],
    [429, undefined],
    [500, undefined],
    [503, undefined],
  ])('classifies a connector %i as %s', (statusCode, reason) => {
    const error = Object.assign(new Error('connector'), { statusCode });
    const passed = connectorRejection(error);
    expect(passed === error ? undefined : (passed as AppError).reason).toBe(reason);
  });
});
