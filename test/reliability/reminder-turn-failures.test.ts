import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConversationEngine, conversationId, type ConversationKey } from '../../src/engine/index.js';
import { ReminderRunner } from '../../src/engine/reminder-runner.js';
import { AppError } from '../../src/errors.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import type { ReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import type { ConversationStore } from '../../src/store/conversation-store.js';
import { createCounterFlow } from './counter-flow.js';
import { closeInstances, newKey, recordingDeliver, startInstance, type Instance } from './instances.js';
import { connectRedis, deleteKeys } from '../support/redis-client.js';
import { testRedisUrl, uniquePrefix } from '../support/redis.js';

// Simulated time, real Redis: a lease runs out exactly when the clock says so.
const clock = new ManualClock();
const prefix = uniquePrefix('reminder-failures');
const sent: { conversationId: string; text: string; at: number }[] = [];
const REMIND_IN = 30 * 60_000;
const LEASE = 60_000;
let instance: Instance;

beforeAll(async () => {
  instance = await startInstance({ url: testRedisUrl(), prefix, deliver: recordingDeliver(sent) });
});
afterAll(async () => {
  const redis = await connectRedis();
  await deleteKeys(redis, prefix);
  await redis.destroy();
  closeInstances([instance]);
});

function engineOn(store: ConversationStore = instance.store): ConversationEngine {
  return new ConversationEngine({
    flow: createCounterFlow(),
    store,
    scheduler: instance.scheduler,
    clock,
    deliver: recordingDeliver(sent),
  });
}

function runnerOf(engine: ConversationEngine, scheduler: ReminderScheduler = instance.scheduler): ReminderRunner {
  return new ReminderRunner({ engine, scheduler, clock, leaseMs: LEASE, onError: () => undefined });
}

async function armReminder(key: ConversationKey): Promise<void> {
  await engineOn().handle({ key, event: { type: 'user.choice', choiceId: `remind ${REMIND_IN}` } });
}

const said = (key: ConversationKey) => sent.filter((d) => d.conversationId === conversationId(key)).map((d) => d.text);
const revisionOf = async (key: ConversationKey) => (await instance.store.load(conversationId(key)))?.revision;

describe('a reminder whose turn fails', () => {
  it('is not acknowledged, so it is delivered once its lease has run out', async () => {
    const key = newKey('failing-turn');
    await armReminder(key);
    let failures = 1;
    const flakyStore = Object.assign(Object.create(instance.store), {
      loadTurn: (...args: Parameters<ConversationStore['loadTurn']>) =>
        failures-- > 0
          ? Promise.reject(new AppError('tsid_store_unavailable', 'Redis load failed: The client is offline'))
          : instance.store.loadTurn(...args),
    }) as ConversationStore;
    const runner = runnerOf(engineOn(flakyStore));
    clock.advance(REMIND_IN);
    expect(await runner.runDue()).toBe(0); // the turn failed
    expect(said(key)).toEqual(['hello', 'armed r1']);
    clock.advance(LEASE);
    expect(await runner.runDue()).toBe(1);
    expect(said(key)).toEqual(['hello', 'armed r1', 'reminder r1']);
  });
});

describe('a reminder delivered twice', () => {
  it('runs one turn when its entry is claimed again after a turn that ran but was never acknowledged', async () => {
    const key = newKey('unacked');
    await armReminder(key);
    // The instance dies between the turn and its ack: the entry's lease runs out and it is claimed again.
    let lostAcks = 1;
    const crashingAck = Object.assign(Object.create(instance.scheduler), {
      ack: async (...args: Parameters<ReminderScheduler['ack']>) => {
        if (lostAcks-- > 0) throw new Error('the instance died before the ack');
        return instance.scheduler.ack(...args);
      },
    }) as ReminderScheduler;
    const runner = runnerOf(engineOn(), crashingAck);
    clock.advance(REMIND_IN);
    expect(await runner.runDue()).toBe(0); // the turn ran, the ack was lost
    const revision = await revisionOf(key);
    expect(said(key)).toEqual(['hello', 'armed r1', 'reminder r1']);
    clock.advance(LEASE);
    expect(await runner.runDue()).toBe(1); // claimed again, acknowledged this time
    // The flow's guard would drop a second reminder message anyway; the idempotency key keeps it to one turn.
    expect(await revisionOf(key)).toBe(revision);
    expect(said(key)).toEqual(['hello', 'armed r1', 'reminder r1']);
    clock.advance(LEASE);
    expect(await runner.runDue()).toBe(0);
  });
});
