import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCampaignCli } from '../../src/app/campaign-cli.js';
import { loadConfig, type Config } from '../../src/config/load-config.js';
import { closeRedisConnection, type RedisConnection } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('dead-cli');
let redis: RedisConnection;
let config: Config;

beforeAll(async () => {
  redis = await connectRedis();
  config = loadConfig({ REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix });
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  closeRedisConnection(redis);
});

async function cli(...args: string[]): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const code = await runCampaignCli(args, config, { out: (text) => out.push(text) });
  return { code, text: out.join('\n') };
}

describe('npm run campaign -- dead-letters (real Redis)', () => {
  it('lists a dead letter without the e-mail in it, replays it into its outbox, and then has none', async () => {
    const store = new RedisConversationStore(redis, { prefix, retentionMs: 3_600_000 });
    const key = { channel: 'slack' as const, tenant: 'T1', user: 'U1' };
    const record = { key, flowId: 'f', flowVersion: 1, revision: 1, snapshot: {}, updatedAt: 1 };
    const text = 'scrivi a mario.rossi@example.com';
    await store.save(record, 0, [{ id: '1.0', type: 'message', message: { kind: 'prompt', step: 's', text } }]);
    await store.deadLetter('slack:T1:U1', '1.0', { code: 'tsid_delivery_rejected', reason: 'http_413', at: 0 });

    const listed = await cli('dead-letters', 'list');
    expect(listed.code).toBe(0);
    expect(listed.text).toContain('"slack:T1:U1/1.0" "1970-01-01T00:00:00.000Z" "http_413" "prompt"');
    expect(listed.text).not.toContain('mario.rossi@example.com');

    expect((await cli('dead-letters', 'replay', 'slack:T1:U1/1.0')).code).toBe(0);
    expect((await store.pendingOutbox('slack:T1:U1')).map((item) => item.id)).toEqual(['1.0']);
    expect(await cli('dead-letters', 'list')).toEqual({ code: 0, text: 'No dead letters.' });
    expect((await cli('dead-letters', 'replay', 'slack:T1:U1/1.0')).code).toBe(1);
    expect((await cli('dead-letters', 'shred')).code).toBe(2);
  });
});
