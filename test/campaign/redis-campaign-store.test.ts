import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CampaignCustomer, CampaignInfo } from '../../src/campaign/index.js';
import { parseCampaignCsv } from '../../src/campaign/index.js';
import type { RedisConnection } from '../../src/store/redis-connection.js';
import { RedisCampaignStore } from '../../src/campaign/redis-campaign-store.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('campaign-store');
let redis: RedisConnection;
let store: RedisCampaignStore;
beforeAll(async () => {
  redis = await connectRedis();
  store = new RedisCampaignStore(redis, { prefix, retentionMs: 60_000 });
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.destroy();
});

const customer = (user: string): CampaignCustomer => ({
  id: `slack:T1:${user}`,
  key: { channel: 'slack', tenant: 'T1', user },
});
const info = (name: string, ratePerMinute = 60_000): CampaignInfo => ({
  name,
  state: 'running',
  ratePerMinute,
  platforms: ['slack'],
  createdAt: Date.now(),
  createdBy: 'test',
  total: 2,
});
const FAST = { slack: 1, teams: 1 };

describe('the Redis campaign store', () => {
  it('hands each customer out once, keeps the pace, and says when the campaign is done', async () => {
    expect(await store.create(info('pace', 600), [customer('U1'), customer('U2')])).toBe('created');
    expect(await store.create(info('pace'), [])).toBe('exists');
    const first = await store.claim('pace', 60_000, FAST);
    const second = await store.claim('pace', 60_000, FAST);
    expect(first).toMatchObject({ kind: 'go', customer: { id: 'slack:T1:U1' }, attempt: 1 });
    expect(second.kind).toBe('wait'); // 600/min: the next slot is 100 ms later
    expect((second as { ms: number }).ms).toBeLessThanOrEqual(100);
    await new Promise((resolve) => setTimeout(resolve, 110));
    expect(await store.claim('pace', 60_000, FAST)).toMatchObject({ kind: 'go', customer: { id: 'slack:T1:U2' } });
    await store.complete('pace', 'slack:T1:U1', { status: 'started', at: 1 });
    await store.complete('pace', 'slack:T1:U2', { status: 'already', at: 1, step: 'tsid.login' });
    await new Promise((resolve) => setTimeout(resolve, 110));
    expect(await store.claim('pace', 60_000, FAST)).toEqual({ kind: 'idle' });
    expect((await store.get('pace'))?.state).toBe('done');
    expect(await store.campaignOf('slack:T1:U1')).toBe('pace');
    expect(await store.campaignOf('slack:T1:U2')).toBeUndefined();
  });

  it('pauses, resumes and stops; a customer whose lease ran out is handed out again', async () => {
    await store.create(info('steer'), [customer('U3')]);
    expect(await store.setState('steer', 'paused')).toBe(true);
    expect(await store.claim('steer', 60_000, FAST)).toEqual({ kind: 'idle' });
    expect(await store.setState('steer', 'running')).toBe(true);
    expect(await store.claim('steer', 50, FAST)).toMatchObject({ kind: 'go', attempt: 1 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await store.claim('steer', 60_000, FAST)).toMatchObject({
      kind: 'go',
      customer: { id: 'slack:T1:U3' },
      attempt: 2,
    });
    expect(await store.setState('steer', 'stopped')).toBe(true);
    expect(await store.setState('steer', 'running')).toBe(false);
    expect(await store.claim('steer', 60_000, FAST)).toEqual({ kind: 'idle' });
  });

  it('gives a released customer back first and holds the platform for its Retry-After', async () => {
    await store.create(info('backoff'), [customer('U4'), customer('U5')]);
    const claim = await store.claim('backoff', 60_000, FAST);
    await store.release('backoff', (claim as { customer: CampaignCustomer }).customer, 1000);
    const held = await store.claim('backoff', 60_000, FAST);
    expect(held.kind).toBe('wait');
    expect((held as { ms: number }).ms).toBeGreaterThan(900);
  });
});

describe('the campaign CSV', () => {
  it('validates every row and says which line is wrong, without echoing e-mails', () => {
    const parsed = parseCampaignCsv(
      [
        'platform,user,locale,step',
        'slack,U123,it,tsid.login',
        'slack,anna@example.it',
        'mail,x',
        'slack,bad id',
        'slack,U9,fr',
        'slack,U9,,invoice.unlink',
        'teams,tenant/aad-1',
      ].join('\n'),
      { startSteps: ['tsid.intro', 'tsid.login'] },
    );
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 3, 8]);
    expect(parsed.errors.map((error) => error.slice(0, 7))).toEqual(['line 4:', 'line 5:', 'line 6:', 'line 7:']);
    expect(parsed.errors.join('\n')).not.toContain('@');
  });
});
