import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { conversationId, type FlowDefinition } from '../../src/engine/index.js';
import { Metrics } from '../../src/app/metrics.js';
import { countOf, createCounterFlow, migratedFrom } from './counter-flow.js';
import { closeInstances, newKey, recordingDeliver, startInstance, type Instance } from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('flow-version');
const sent: { conversationId: string; text: string; at: number }[] = [];
const started: Instance[] = [];

/** An instance running `flow`: a deploy of that flow version. */
async function deploy(flow: FlowDefinition): Promise<Instance> {
  const instance = await startInstance({ url: testRedisUrl(), prefix, deliver: recordingDeliver(sent), flow });
  started.push(instance);
  return instance;
}

/** A conversation three answers into the guide on flow version 1, as stored in Redis. */
async function oldConversation() {
  const v1 = await deploy(createCounterFlow({ version: 1 }));
  const key = newKey('old');
  for (const text of ['hi', 'one', 'two', 'three']) await v1.engine.handle({ key, event: { type: 'user.text', text } });
  return { key, id: conversationId(key) };
}

const said = (id: string) => sent.filter((d) => d.conversationId === id).map((d) => d.text);

afterAll(async () => {
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  await redis.destroy();
  closeInstances(started);
});

describe('a record saved by an older flow version', () => {
  beforeAll(() => void (sent.length = 0));

  it('is migrated when the flow can upgrade it, and the answer applies on top', async () => {
    const { key, id } = await oldConversation();
    const calls: number[] = [];
    const v2 = await deploy(
      createCounterFlow({
        version: 2,
        upgrade: (snapshot, fromVersion) => {
          calls.push(fromVersion);
          const old = snapshot as { context: object };
          return { snapshot: { ...old, context: { ...old.context, migratedFrom: fromVersion } } };
        },
      }),
    );
    await v2.engine.handle({ key, event: { type: 'user.text', text: 'four' } });
    const record = (await v2.store.load(id))!;
    expect(calls).toEqual([1]);
    expect(record.flowVersion).toBe(2);
    expect(record.revision).toBe(5);
    expect(countOf(record.snapshot)).toBe(4);
    expect(migratedFrom(record.snapshot)).toBe(1);
    expect(said(id).at(-1)).toBe('count 4');
    // Migrated once: the next turn is an ordinary version-2 turn.
    await v2.engine.handle({ key, event: { type: 'user.text', text: 'five' } });
    expect(calls).toEqual([1]);
    expect(countOf((await v2.store.load(id))!.snapshot)).toBe(5);
  });

  it('restarts at the fallback step and tells the customer when it cannot be migrated', async () => {
    const { key, id } = await oldConversation();
    const v3 = await deploy(createCounterFlow({ version: 3, upgrade: () => ({ fallbackStep: 'counting' }) }));
    const result = await v3.engine.handle({ key, event: { type: 'user.text', text: 'four' } });
    const record = (await v3.store.load(id))!;
    expect(result.status).toBe('done');
    expect(record.flowVersion).toBe(3);
    expect(record.revision).toBe(5); // kept, not dropped: the history of revisions goes on
    expect(countOf(record.snapshot)).toBe(0);
    expect(said(id).at(-1)).toBe('the guide changed: restarting at counting');
  });

  it('restarts from the beginning, saying so, when the flow has no upgrade at all', async () => {
    const { key, id } = await oldConversation();
    const v4 = await deploy(createCounterFlow({ version: 4 }));
    await v4.engine.handle({ key, event: { type: 'user.text', text: 'four' } });
    expect(said(id).at(-1)).toBe('the guide changed: restarting at the start');
    expect((await v4.store.load(id))!.flowVersion).toBe(4);
    expect(await v4.engine.status(key)).toMatchObject({ step: 'counting' });
  });

  it('is not touched by a status look-up before the customer comes back', async () => {
    const { key, id } = await oldConversation();
    const v5 = await deploy(createCounterFlow({ version: 5 }));
    expect(await v5.engine.status(key)).toBeUndefined();
    const record = (await v5.store.load(id))!;
    expect(record.flowVersion).toBe(1);
    expect(countOf(record.snapshot)).toBe(3);
  });
});

describe('a rolling deploy: instances on flow versions N and N+1 sharing one Redis', () => {
  it('never resets a conversation in either direction; the older instance asks for a retry and writes nothing', async () => {
    const older = await deploy(createCounterFlow({ version: 6 }));
    const newer = await deploy(createCounterFlow({ version: 7, upgrade: (snapshot) => ({ snapshot }) }));
    const key = newKey('rolling');
    const id = conversationId(key);
    // Started on the old version, carried on by the new one (an upgrade), then back on an old instance.
    for (const text of ['hi', 'one', 'two']) await older.engine.handle({ key, event: { type: 'user.text', text } });
    await newer.engine.handle({ key, event: { type: 'user.text', text: 'three' } });
    const upgraded = (await newer.store.load(id))!;
    expect(upgraded.flowVersion).toBe(7);
    expect(countOf(upgraded.snapshot)).toBe(3);

    const sentBefore = said(id).length;
    const metrics = new Metrics();
    await expect(
      metrics.instrument(older.engine).handle({ key, event: { type: 'user.text', text: 'four' } }),
    ).rejects.toMatchObject({ code: 'tsid_flow_version' });
    expect((await metrics.exposition()).body).toContain('tsid_errors_total{code="tsid_flow_version"} 1');
    await expect(older.engine.handle({ key, event: { type: 'reminder.due', reminderId: 'r1' } })).rejects.toMatchObject(
      { code: 'tsid_flow_version' },
    );
    expect(await newer.store.load(id)).toEqual(upgraded); // not a byte rewritten
    expect(said(id)).toHaveLength(sentBefore);

    // The customer's retry reaches a new instance: the count goes on from where it was.
    await newer.engine.handle({ key, event: { type: 'user.text', text: 'four' } });
    expect(countOf((await newer.store.load(id))!.snapshot)).toBe(4);
    expect(said(id).filter((text) => text.startsWith('the guide changed'))).toEqual([]);
  });
});
