import { expect, it } from '@jest/globals';
import * as reminderScripts from '../../src/scheduler/redis-reminder-scripts.js';
import { RedisScript } from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import * as conversationScripts from '../../src/store/redis-conversation-scripts.js';
import { uniquePrefix } from '../support/redis.js';
import { RedisClusterTopology } from '../support/redis-topologies.js';
import { describeStoreContractsOn } from './store-contracts.js';

// Every script the contracts run on the cluster is noted: a script whose keys span two
// slots fails there with CROSSSLOT, so "ran and passed" means "one slot".
const ran = new Set<string>();
const run = RedisScript.prototype.run;
RedisScript.prototype.run = function (this: RedisScript, ...args: Parameters<RedisScript['run']>) {
  ran.add(this.sha);
  return run.apply(this, args);
};

// 3 masters + 3 replicas started from the machine's redis-server for this file.
const connection = describeStoreContractsOn(
  'redis cluster',
  () => RedisClusterTopology.start(),
  (cluster) => ({ kind: 'cluster', nodes: cluster.urls }),
);

it("drops a leased save's sweeper index entry with its ack on the cluster too (the index in another slot)", async () => {
  const prefix = uniquePrefix('cluster-index');
  const store = new RedisConversationStore(connection(), { prefix, retentionMs: 3_600_000 });
  const key = { channel: 'slack' as const, tenant: 'T1', user: 'UINDEX' };
  const record = { key, flowId: 'f', flowVersion: 1, revision: 1, snapshot: {}, updatedAt: 1 };
  const item = { id: '1.0', type: 'message' as const, message: { kind: 'prompt' as const, step: 's', text: 't' } };
  expect(await store.save(record, 0, [item], { leaseMs: 60_000 })).toBe('leased');
  expect(await connection().zCard(`${prefix}:outbox-pending`)).toBe(1);
  expect(await store.ackOutboxItems('slack:T1:UINDEX', ['1.0'])).toBe(0);
  expect(await connection().zCard(`${prefix}:outbox-pending`)).toBe(0);
  await store.erase('slack:T1:UINDEX');
});

it('ran every conversation and reminder Lua script on the cluster (runs last)', async () => {
  // The upgrade's move of old-format reminders is not part of the contract either (its keys: one shard's).
  await reminderScripts.adoptOldScript.run(
    connection(),
    ['q', 'due', 'jobs'].map((part) => `${uniquePrefix('adopt')}:{rem:0}:${part}`),
    [0, 10],
  );
  // Named by module: both have an `ackScript`.
  const scripts = [
    ...Object.entries(conversationScripts).map(([name, script]): [string, unknown] => [`store ${name}`, script]),
    ...Object.entries(reminderScripts).map(([name, script]): [string, unknown] => [`reminders ${name}`, script]),
  ].filter((entry): entry is [string, RedisScript] => entry[1] instanceof RedisScript);
  expect(scripts.length).toBe(12);
  expect(scripts.filter(([, script]) => !ran.has(script.sha)).map(([name]) => name)).toEqual([]);
});
