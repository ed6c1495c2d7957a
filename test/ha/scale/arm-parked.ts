import { conversationId, type ConversationKey } from '../../../src/engine/index.js';
import type { Instance } from '../../reliability/instances.js';

/**
 * Parks `keys` as copies of `template`'s conversation (same flow state: reminder r1 pending)
 * with reminder r1 due at `dueAt`, through the public store and scheduler calls only (so it
 * works whatever their Redis layout). Running that many turns would take minutes on 2 cores;
 * the delivery side is what is measured. `concurrency` conversations are written at once
 * (the client pipelines them); resolves with how long it took (ms).
 */
export async function armParked(
  instance: Instance,
  template: ConversationKey,
  keys: ConversationKey[],
  dueAt: number,
  concurrency: number,
): Promise<number> {
  const started = Date.now();
  const record = await instance.store.load(conversationId(template));
  if (!record) throw new Error('arming: the template conversation was not saved');
  let next = 0;
  const arm = async () => {
    for (let index = next++; index < keys.length; index = next++) {
      const key = keys[index];
      const id = conversationId(key);
      const [outcome] = await Promise.all([
        instance.store.save({ ...record, key, revision: 1 }, 0, []),
        instance.scheduler.schedule({ conversationId: id, key, reminderId: 'r1', dueAt }),
      ]);
      if (outcome === 'conflict' || outcome === 'seen') throw new Error(`arming ${id}: ${outcome}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, arm));
  return Date.now() - started;
}
