import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConversationEngine, conversationId, type ConversationKey } from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import type { ReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { createCounterFlow } from './counter-flow.js';
import { closeInstances, newKey, recordingDeliver, startInstances, type Instance } from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

// Simulated time, real Redis: "just before it is due" is then exact, not a race with the machine's speed.
const clock = new ManualClock();
const prefix = uniquePrefix('cancel');
const sent: { conversationId: string; text: string; at: number }[] = [];
const REMIND_IN = 30 * 60_000;
let instances: Instance[];

beforeAll(async () => {
  instances = await startInstances(3, { url: testRedisUrl(), prefix, deliver: recordingDeliver(sent) });
});
afterAll(async () => {
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  await redis.destroy();
  closeInstances(instances);
});

/** An engine like instance `n`'s, on the simulated clock, with its scheduler optionally altered. */
function engineOf(n: number, scheduler: ReminderScheduler = instances[n].scheduler): ConversationEngine {
  const { store } = instances[n];
  return new ConversationEngine({
    flow: createCounterFlow(),
    store,
    scheduler,
    clock,
    deliver: recordingDeliver(sent),
  });
}

/** All three instances look for due reminders at once, at the current simulated time. */
async function everyInstancePolls(): Promise<number> {
  const ran = await Promise.all(
    instances.map((_, n) =>
      new ReminderRunner({ engine: engineOf(n), scheduler: instances[n].scheduler, clock }).runDue(),
    ),
  );
  return ran.reduce((a, b) => a + b, 0);
}

async function armReminder(key: ConversationKey): Promise<void> {
  await engineOf(0).handle({ key, event: { type: 'user.choice', choiceId: `remind ${REMIND_IN}` } });
}

const said = (key: ConversationKey) => sent.filter((d) => d.conversationId === conversationId(key)).map((d) => d.text);

describe('a reminder cancelled by the customer answering just before it is due', () => {
  it('is never delivered once the answer is in, even if every instance polls right at the due time', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => newKey(`answered${i}`));
    await Promise.all(keys.map(armReminder));
    clock.advance(REMIND_IN - 1);
    await Promise.all(
      keys.map((key, i) => engineOf(i % 3).handle({ key, event: { type: 'user.text', text: 'got it' } })),
    );
    clock.advance(1);
    expect(await everyInstancePolls()).toBe(0);
    clock.advance(24 * 3_600_000);
    expect(await everyInstancePolls()).toBe(0);
    for (const key of keys) expect(said(key)).toEqual(['hello', 'armed r1', 'count 1']);
  });

  it('is not delivered when it comes due while the answer is saved but its cancel not yet applied', async () => {
    const key = newKey('racing');
    await armReminder(key);
    clock.advance(REMIND_IN - 1);
    let applyCancel!: () => void;
    const gate = new Promise<void>((resolve) => (applyCancel = resolve));
    const { scheduler } = instances[1];
    const slowCancel = Object.assign(Object.create(scheduler), {
      cancel: async (id: string, reminderId: string) => gate.then(() => scheduler.cancel(id, reminderId)),
    }) as ReminderScheduler;
    const answering = engineOf(1, slowCancel).handle({ key, event: { type: 'user.text', text: 'got it' } });
    const saved = async () => (await instances[0].store.load(conversationId(key)))!.revision === 2;
    while (!(await saved())) await new Promise((resolve) => setTimeout(resolve, 2)); // the answer is saved, its cancel held
    clock.advance(1);
    expect(await everyInstancePolls()).toBe(1); // the reminder ran as a turn...
    applyCancel();
    await answering;
    expect(said(key)).toEqual(['hello', 'armed r1', 'count 1']); // ...and the flow dropped it
    expect((await instances[0].store.load(conversationId(key)))!.revision).toBe(3);
  });

  it('is not delivered when the cancel was lost altogether (crash after the save)', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => newKey(`lost${i}`));
    await Promise.all(keys.map(armReminder));
    clock.advance(REMIND_IN - 1);
    const lostCancel = Object.assign(Object.create(instances[2].scheduler), {
      cancel: async () => undefined,
    }) as ReminderScheduler;
    await Promise.all(
      keys.map((key) => engineOf(2, lostCancel).handle({ key, event: { type: 'user.text', text: 'got it' } })),
    );
    clock.advance(1);
    expect(await everyInstancePolls()).toBe(keys.length);
    for (const key of keys) expect(said(key)).toEqual(['hello', 'armed r1', 'count 1']);
    expect(await instances[0].scheduler.nextDueAt()).toBeUndefined();
  });

  it('is delivered exactly once when the customer did not answer (the control case)', async () => {
    const key = newKey('silent');
    await armReminder(key);
    clock.advance(REMIND_IN);
    expect(await everyInstancePolls()).toBe(1);
    expect(await everyInstancePolls()).toBe(0);
    expect(said(key)).toEqual(['hello', 'armed r1', 'reminder r1']);
  });
});

describe('the reminders of a conversation the customer erased', () => {
  it('are gone from the scheduler: no instance claims them when due, and nothing is delivered', async () => {
    const key = newKey('erased');
    await armReminder(key);
    await engineOf(0).handle({ key, event: { type: 'user.choice', choiceId: `remind ${2 * REMIND_IN}` } });
    expect((await engineOf(1).handle({ key, event: { type: 'user.text', text: 'erase' } })).status).toBe('erased');
    clock.advance(REMIND_IN);
    expect(await everyInstancePolls()).toBe(0);
    clock.advance(24 * 3_600_000);
    expect(await everyInstancePolls()).toBe(0);
    expect(said(key)).toEqual(['hello', 'armed r1', 'armed r2']);
    expect(await instances[0].store.load(conversationId(key))).toBeUndefined();
  });
});
