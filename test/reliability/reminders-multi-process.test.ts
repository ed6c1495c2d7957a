import { afterAll, describe, expect, it } from '@jest/globals';
import { conversationId, type ConversationKey } from '../../src/engine/index.js';
import {
  closeInstances,
  newKey,
  recordingDeliver,
  spawnInstance,
  startInstance,
  type ChildInstance,
  type Instance,
} from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

const prefix = uniquePrefix('reminders');
const REMINDERS = 1000;
const PROBE = 100;
// How long a claimed reminder is held (ReminderRunner's default, which the child processes
// use): one delivered later than this waited behind a claim that was never finished.
const CLAIM_LEASE_MS = 60_000;
const children: ChildInstance[] = [];
let scheduling: Instance | undefined;

afterAll(async () => {
  for (const { child } of children) child.kill('SIGKILL');
  if (scheduling) closeInstances([scheduling]);
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  await redis.destroy();
});

/** Arms reminder r1 on each conversation through a turn, `delayMs()` ahead, 20 turns at a time. */
async function armAll(instance: Instance, keys: ConversationKey[], delayMs: () => number): Promise<void> {
  const queue = [...keys];
  const arm = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      await instance.engine.handle({ key, event: { type: 'user.choice', choiceId: `remind ${delayMs()}` } });
    }
  };
  await Promise.all(Array.from({ length: 20 }, arm));
}

describe('reminders across instances in separate processes', () => {
  it('delivers 1,000 reminders due in the same second exactly once each, from 3 processes, none held back by a claim lease', async () => {
    const env = { REDIS_URL: testRedisUrl(), PREFIX: prefix, MODE: 'reminders', POLL_MS: '50' };
    children.push(spawnInstance(env), spawnInstance(env), spawnInstance(env));
    await Promise.all(children.map(({ waitFor }) => waitFor((line) => line.t === 'ready')));

    // Arm them through ordinary turns so they all fall due in one second. That second must come
    // after the last is armed, however busy the machine: time arming a tenth as many first (an
    // hour ahead, never due here) and leave three times the projected total, 4 s at least.
    scheduling = await startInstance({ url: testRedisUrl(), prefix, deliver: recordingDeliver([]) });
    const probeStarted = Date.now();
    await armAll(
      scheduling,
      Array.from({ length: PROBE }, (_, i) => newKey(`probe${i}`)),
      () => 3_600_000,
    );
    const marginMs = Math.max(4000, 3 * (Date.now() - probeStarted) * (REMINDERS / PROBE));
    const second = Math.ceil((Date.now() + marginMs) / 1000) * 1000;
    const keys = Array.from({ length: REMINDERS }, (_, i) => newKey(`rem${i}`));
    const armingStarted = Date.now();
    await armAll(scheduling, keys, () => second + 100 - Date.now());
    const armedBy = Date.now();

    const wanted = new Set(keys.map(conversationId));
    const reminders = () =>
      children.flatMap(({ lines }) => lines).filter((l) => l.t === 'delivered' && l.text === 'reminder r1');
    const deadline = second + CLAIM_LEASE_MS;
    while (reminders().length < REMINDERS && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    await new Promise((resolve) => setTimeout(resolve, 500)); // late duplicates would show up here

    const delivered = reminders();
    const perConversation = new Map<string, number>();
    for (const line of delivered)
      perConversation.set(line.conversationId as string, (perConversation.get(line.conversationId as string) ?? 0) + 1);
    const lateness = delivered.map((line) => (line.at as number) - second);
    const byProcess = children.map(
      ({ lines }) => lines.filter((l) => l.t === 'delivered' && l.text === 'reminder r1').length,
    );

    expect(armedBy).toBeLessThan(second); // every reminder was armed before the second it is due in
    expect([...perConversation.keys()].filter((id) => !wanted.has(id))).toEqual([]);
    expect(perConversation.size).toBe(REMINDERS);
    expect([...perConversation.values()].every((n) => n === 1)).toBe(true);
    expect(Math.max(...lateness)).toBeLessThan(CLAIM_LEASE_MS);
    expect(byProcess.filter((n) => n === 0)).toEqual([]); // every process took its share
    const median = lateness.sort((a, b) => a - b)[lateness.length >> 1];
    console.log(
      `[figure] reminders armed through turns before their due second: ${REMINDERS} in ${armedBy - armingStarted} ms (margin left ${second - armedBy} ms)`,
    );
    console.log(
      `[figure] reminders delivered per process (3 processes, ${REMINDERS} due in one second): ${byProcess.join('/')}`,
    );
    console.log(`[figure] duplicate reminders: ${delivered.length - perConversation.size}`);
    console.log(
      `[figure] reminder lateness after the due second began: max ${Math.max(...lateness)} ms, median ${median} ms`,
    );
  }, 240_000);
});
