import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataLossWatch } from '../../src/app/data-loss-watch.js';
import { RedisReminderScheduler } from '../../src/scheduler/redis-reminder-scheduler.js';
import { RedisDataMark } from '../../src/store/redis-data-mark.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';

// The shared Redis, under a prefix of this test's own: deleting the prefix's keys is a loss
// of this bot's data without a FLUSHALL that would touch the other tests.
let client: SingleNodeConnection;
const prefix = `loss-${randomUUID()}`;

beforeAll(async () => {
  client = createRedisConnection(process.env.REDIS_URL!);
  await waitUntilReady(client);
});
afterAll(async () => {
  await loseTheData();
  client?.destroy();
});

async function loseTheData(): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `*${prefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await Promise.all(keys.map((key) => client.del(key)));
  }
}

describe('the data-loss watch', () => {
  it('a loss that lands between its look at the mark and its count of reminders is still reported with the reminders lost (the count taken after the loss, 0, is not kept)', async () => {
    const scheduler = new RedisReminderScheduler(client, { prefix });
    for (const user of ['U1', 'U2', 'U3']) {
      const key = { channel: 'slack' as const, tenant: 'T1', user };
      await scheduler.schedule({
        conversationId: `slack:T1:${user}`,
        key,
        reminderId: 'invite.1',
        dueAt: Date.now() + 3_600_000,
      });
    }
    let loseBeforeCounting = false;
    const losses: number[] = [];
    const watch = new DataLossWatch({
      mark: new RedisDataMark(client, prefix),
      countReminders: async () => {
        if (loseBeforeCounting) {
          loseBeforeCounting = false;
          await loseTheData();
        }
        return scheduler.count();
      },
      onLoss: (lost) => losses.push(lost),
    });

    expect(await watch.check()).toBeUndefined(); // the first look writes the mark and counts 3
    loseBeforeCounting = true;
    expect(await watch.check()).toBeUndefined(); // read the mark, then the data went
    expect(await watch.check()).toBe(3);
    expect(losses).toEqual([3]);
  });
});
