/**
 * Not part of `npm test` (10,000 reminder turns take a while on 2 cores):
 * `npm run test:scale`. Prints the figure the README quotes.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { conversationId } from '../../src/engine/index.js';
import {
  closeInstances,
  newKey,
  spawnInstance,
  startInstance,
  type ChildInstance,
  type Instance,
} from '../reliability/instances.js';
import { uniquePrefix } from '../support/redis.js';
import { RedisClusterTopology } from '../support/redis-topologies.js';

const REMINDERS = 10_000;
const children: ChildInstance[] = [];
let cluster: RedisClusterTopology | undefined;
let arming: Instance | undefined;

afterAll(async () => {
  for (const { child } of children) child.kill('SIGKILL');
  if (arming) closeInstances([arming]);
  await cluster?.dispose();
}, 30_000);

describe('reminders at scale on a 3-master cluster', () => {
  it('delivers 10,000 reminders due in the same second exactly once each, from 3 bot processes (prints how late the last one was)', async () => {
    cluster = await RedisClusterTopology.start();
    const target = { kind: 'cluster' as const, nodes: cluster.urls };
    const prefix = uniquePrefix('scale');
    // One conversation is armed through an ordinary turn; the other 9,999 get a copy of its
    // record (same flow state: reminder r1 pending) and the same reminder, written directly:
    // 10,000 turns would take minutes on 2 cores, and the delivery side is what is measured.
    arming = await startInstance({ url: target, prefix, deliver: async () => undefined });
    const armedStart = Date.now();
    const keys = Array.from({ length: REMINDERS }, (_, i) => newKey(`s${i}`));
    const second = Math.ceil((Date.now() + 40_000) / 1000) * 1000;
    await arming.engine.handle({
      key: keys[0],
      event: { type: 'user.choice', choiceId: `remind ${second + 100 - Date.now()}` },
    });
    const template = (await arming.store.load(conversationId(keys[0])))!;
    const queue = keys.slice(1);
    const arm = async () => {
      for (let key = queue.shift(); key; key = queue.shift()) {
        await arming!.store.save({ ...template, key, revision: 1 }, 0, []);
        await arming!.scheduler.schedule({
          conversationId: conversationId(key),
          key,
          reminderId: 'r1',
          dueAt: second + 100,
        });
      }
    };
    await Promise.all(Array.from({ length: 50 }, arm));
    const armedBy = Date.now();

    // The bot processes start after the arming, so it has the machine to itself.
    const env = { REDIS_TARGET: JSON.stringify(target), PREFIX: prefix, MODE: 'reminders', POLL_MS: '50' };
    children.push(spawnInstance(env), spawnInstance(env), spawnInstance(env));
    await Promise.all(children.map(({ waitFor }) => waitFor((line) => line.t === 'ready', 30_000)));
    expect(Date.now()).toBeLessThan(second);

    const delivered = () =>
      children.flatMap(({ lines }) => lines).filter((l) => l.t === 'delivered' && l.text === 'reminder r1');
    const deadline = second + 60_000;
    while (delivered().length < REMINDERS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show here

    const perConversation = new Map<string, number>();
    for (const line of delivered())
      perConversation.set(line.conversationId as string, (perConversation.get(line.conversationId as string) ?? 0) + 1);
    const lateness = delivered().map((line) => (line.at as number) - second);
    const byProcess = children.map(
      ({ lines }) => lines.filter((l) => l.t === 'delivered' && l.text === 'reminder r1').length,
    );
    console.log(
      `[figure] cluster 3 masters, 3 processes (${byProcess.join('/')}), ${REMINDERS} reminders due in one second: ` +
        `last delivered ${Math.max(...lateness)} ms after the second began (goal 10000 ms), ${delivered().length - perConversation.size} duplicates; ` +
        `arming took ${armedBy - armedStart} ms`,
    );
    expect(keys.filter((key) => perConversation.get(conversationId(key)) !== 1)).toEqual([]);
  }, 300_000);
});
