import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { conversationId } from '../../src/engine/index.js';
import { OutboxSweeper } from '../../src/scheduler/outbox-sweeper.js';
import { closeInstances, recordingDeliver, spawnInstance, startInstance, type ChildInstance, type Instance } from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('crash');
const KILLS = 50;
const PARALLEL = 5;
const sent: { conversationId: string; text: string; at: number }[] = [];
const children: ChildInstance[] = [];
let survivor: Instance;
let sweeper: OutboxSweeper;

beforeAll(async () => {
  survivor = await startInstance({ url: testRedisUrl(), prefix, deliver: recordingDeliver(sent) });
  sweeper = new OutboxSweeper({ engine: survivor.engine, store: survivor.store });
});
afterAll(async () => {
  await sweeper.stop();
  for (const { child } of children) child.kill('SIGKILL');
  closeInstances([survivor]);
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  redis.destroy();
});

/** One instance saves a turn, is SIGKILLed in the send, and never comes back. */
async function killAfterSave(n: number): Promise<string> {
  const user = `crash-${n}`;
  const instance = spawnInstance({ REDIS_URL: testRedisUrl(), PREFIX: prefix, MODE: 'crash', USER_ID: user, LEASE_MS: '500' });
  children.push(instance);
  // Generous: on a busy 2-core machine, five children starting at once took 22 s to get here.
  await instance.waitFor((line) => line.t === 'sending', 90_000);
  instance.child.kill('SIGKILL');
  const { signal } = await instance.exited;
  expect(signal).toBe('SIGKILL');
  return conversationId({ channel: 'local', tenant: 'reliability', user });
}

describe('an instance killed after saving and before sending', () => {
  it(`leaves its outbox to another instance: ${KILLS} kills, 0 lost`, async () => {
    const ids: string[] = [];
    const queue = Array.from({ length: KILLS }, (_, n) => n);
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) ids.push(await killAfterSave(n));
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    // Only now does another instance run, so none of the kills raced its sweeper for the send.
    expect(sent).toEqual([]);
    sweeper.start(100);

    const delivered = (id: string) => sent.filter((d) => d.conversationId === id).map((d) => d.text);
    const deadline = Date.now() + 10_000;
    while (ids.some((id) => delivered(id).length < 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 700)); // past another lease: duplicates would show now

    const lost = ids.filter((id) => delivered(id).length < 2);
    const duplicated = ids.filter((id) => delivered(id).length > 2);
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    for (const id of ids) {
      expect(delivered(id)).toEqual(['hello', 'count 1']);
      expect(await survivor.store.pendingOutbox(id)).toEqual([]);
    }
    console.log(`[figure] ${ids.length} instances SIGKILLed after save, before send: ${lost.length} lost, ${duplicated.length} duplicated`);
  }, 400_000);
});
