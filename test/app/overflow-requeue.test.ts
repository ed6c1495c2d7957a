import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Overflow } from '../../src/app/overflow.js';
import type { Inbound, TurnHandler } from '../../src/engine/index.js';
import { AppError } from '../../src/errors.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';
import { RedisOverflowInbox } from '../../src/store/redis-overflow-inbox.js';

let redis: SingleNodeConnection;
beforeAll(async () => {
  redis = createRedisConnection(process.env.REDIS_URL!);
  await waitUntilReady(redis);
});
afterAll(() => void redis.destroy());

const inbound: Inbound = {
  key: { channel: 'slack', tenant: 'T1', user: 'U1' },
  event: { type: 'user.text', text: 'ciao' },
  idempotencyKey: 'Ev1',
  reference: { channel: 'DU1', team: 'T1' },
  locale: 'it',
};
const failing = (code: AppError['code']): TurnHandler => ({
  handle: () => Promise.reject(new AppError(code, 'Redis save failed: no answer within 2000 ms')),
  status: () => Promise.resolve(undefined),
});
const overflowOn = (inbox: RedisOverflowInbox) => new Overflow({ inbox, holdAck: () => undefined });

describe('a Slack turn that failed on the store after its acknowledgement', () => {
  it('is queued in the overflow inbox to run again (its idempotency key kept), not told to retry', async () => {
    const inbox = new RedisOverflowInbox(redis, { prefix: `requeue-${randomUUID()}`, maxEntries: 10 });
    const result = await overflowOn(inbox).wrap(failing('tsid_store_unavailable')).handle(inbound);
    expect(result.status).toBe('deferred');
    const [claim] = await inbox.claim(1, Date.now(), 30_000);
    expect(claim.entry.inbound).toEqual(inbound);
  });

  it('fails as before when the inbox cannot take it, or when the failure is not the store', async () => {
    const full = new RedisOverflowInbox(redis, { prefix: `requeue-${randomUUID()}`, maxEntries: 1 });
    await full.add('slack:T1:U9', { at: 0, inbound: {} });
    await expect(overflowOn(full).wrap(failing('tsid_store_unavailable')).handle(inbound)).rejects.toThrow(
      'no answer within',
    );
    const inbox = new RedisOverflowInbox(redis, { prefix: `requeue-${randomUUID()}`, maxEntries: 10 });
    await expect(overflowOn(inbox).wrap(failing('tsid_flow_version')).handle(inbound)).rejects.toThrow();
    expect((await inbox.stats()).entries).toBe(0);
  });
});
