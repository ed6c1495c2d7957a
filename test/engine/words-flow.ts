import { assign, createMachine, emit } from 'xstate';
import {
  ConversationEngine,
  conversationId,
  type ConversationKey,
  type Delivery,
  type FlowDefinition,
} from '../../src/engine/index.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import type { ConversationStore } from '../../src/store/conversation-store.js';

/** What the snapshot cache tests share: a flow where a stale start shows, and bot instances on one store. */
export const key: ConversationKey = { channel: 'local', tenant: 't', user: 'u' };
export const id = conversationId(key);

/** A flow whose every answer shows all the words said so far: a stale start shows at once. */
export function wordsFlow(): FlowDefinition {
  const machine = createMachine({
    types: {} as { context: { words: string[] }; events: { type: 'user.text'; text: string } },
    context: { words: [] },
    initial: 'listening',
    states: {
      listening: {
        on: {
          'user.text': {
            actions: [
              assign(({ context, event }) => ({ words: [...context.words, event.text] })),
              emit(({ context }) => ({
                type: 'message',
                message: { kind: 'prompt', step: 'listening', locale: 'it', text: context.words.join(' ') },
              })),
            ],
          },
        },
      },
    },
  });
  return {
    id: 'words',
    version: 1,
    machine,
    createInput: () => ({}),
    interpret: (event) => event,
    currentStep: () => 'listening',
    status: () => ({ locale: 'it', step: 'listening', stepTitle: 'listening', companies: [] }),
  };
}

/** A conversation's first message only opens it (the engine's rule): the words start after it. */
export const OPENING = 'hello';

/** One instance of the bot: its own engine (and so its own cache) on a store it may share. */
export function instance(store: ConversationStore, flow: FlowDefinition, snapshotCacheSize?: number) {
  const delivered: Delivery[] = [];
  const engine = new ConversationEngine({
    flow,
    store,
    scheduler: new MemoryReminderScheduler(),
    clock: new ManualClock(),
    deliver: async (delivery) => void delivered.push(delivery),
    snapshotCacheSize,
  });
  const say = async (text: string) => {
    await engine.handle({ key, event: { type: 'user.text', text } });
    const last = delivered.at(-1)?.message;
    return last?.kind === 'prompt' ? last.text : undefined;
  };
  return { engine, say, delivered };
}

/** Counts how often a flow's snapshots are restored from the record (the work the cache saves). */
export function countingRestores(flow: FlowDefinition) {
  const restoreSnapshot = flow.machine.restoreSnapshot.bind(flow.machine);
  const counted = { restores: 0 };
  flow.machine.restoreSnapshot = ((...args: Parameters<typeof restoreSnapshot>) => {
    counted.restores++;
    return restoreSnapshot(...args);
  }) as typeof restoreSnapshot;
  return counted;
}
