import { afterAll, describe, expect, it } from '@jest/globals';
import { conversationId } from '../../src/engine/index.js';
import { closeInstances, newKey, recordingDeliver, spawnInstance, startInstance, type ChildInstance, type Instance } from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('reminders');
const REMINDERS = 1000;
const children: ChildInstance[] = [];
let scheduling: Instance | undefined;

afterAll(async () => {
  for (const { child } of children) child.kill('SIGKILL');
  if (scheduling) closeInstances([scheduling]);
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  redis.destroy();
});

describe('reminders across instances in separate processes', () => {
  it('delivers 1,000 reminders due in the same second exactly once each, within 10 s of due, from 3 processes', async () => {
    const env = { REDIS_URL: testRedisUrl(), PREFIX: prefix, MODE: 'reminders', POLL_MS: '50' };
    children.push(spawnInstance(env), spawnInstance(env), spawnInstance(env));
    await Promise.all(children.map(({ waitFor }) => waitFor((line) => line.t === 'ready')));

    // Arm them through ordinary turns so they all fall due in one second, ~4 s from now.
    scheduling = await startInstance({ url: testRedisUrl(), prefix, deliver: recordingDeliver([]) });
    const second = Math.ceil((Date.now() + 4000) / 1000) * 1000;
    const keys = Array.from({ length: REMINDERS }, (_, i) => newKey(`rem${i}`));
    const queue = [...keys];
    const arm = async () => {
      for (let key = queue.shift(); key; key = queue.shift()) {
        const delay = second + 100 - Date.now();
        await scheduling!.engine.handle({ key, event: { type: 'user.choice', choiceId: `remind ${delay}` } });
      }
    };
    await Promise.all(Array.from({ length: 20 }, arm));
    const armedBy = Date.now();

    const wanted = new Set(keys.map(conversationId));
    const reminders = () => children.flatMap(({ lines }) => lines).filter((l) => l.t === 'delivered' && l.text === 'reminder r1');
    const deadline = second + 15_000;
    while (reminders().length < REMINDERS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show up here

    const delivered = reminders();
    const perConversation = new Map<string, number>();
    for (const line of delivered) perConversation.set(line.conversationId as string, (perConversation.get(line.conversationId as string) ?? 0) + 1);
    const lateness = delivered.map((line) => (line.at as number) - second);
    const byProcess = children.map(({ lines }) => lines.filter((l) => l.t === 'delivered' && l.text === 'reminder r1').length);

    expect(armedBy).toBeLessThan(second); // every reminder was armed before the second it is due in
    expect([...perConversation.keys()].filter((id) => !wanted.has(id))).toEqual([]);
    expect(perConversation.size).toBe(REMINDERS);
    expect([...perConversation.values()].every((n) => n === 1)).toBe(true);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(10_000);
    console.log(
      `[figure] ${delivered.length} reminders due in one second, 3 processes (${byProcess.join('/')}): ` +
        `${delivered.length - perConversation.size} duplicates, all delivered ${Math.max(...lateness)} ms after the second began ` +
        `(median ${lateness.sort((a, b) => a - b)[lateness.length >> 1]} ms)`,
    );
  }, 40_000);
});
