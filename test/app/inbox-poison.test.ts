import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InboxDrainer } from '../../src/app/inbox-drainer.js';
import type { Inbound, TurnHandler, TurnResult } from '../../src/engine/index.js';
import { AppError } from '../../src/errors.js';
import { createRedisConnection, waitUntilReady, type SingleNodeConnection } from '../../src/store/redis-connection.js';
import { RedisOverflowInbox } from '../../src/store/redis-overflow-inbox.js';

let redis: SingleNodeConnection;
beforeAll(async () => {
  redis = createRedisConnection(process.env.REDIS_URL!);
  await waitUntilReady(redis);
});
afterAll(() => void redis.destroy());

const said = (text: string, n: number): Inbound => ({
  key: { channel: 'slack', tenant: 'T1', user: 'U1' },
  event: { type: 'user.text', text },
  idempotencyKey: `Ev${n}`,
});

/** A drainer that retries after 10 ms and sets a turn aside after 3 lasting failures. */
function quickDrainer(inbox: RedisOverflowInbox, turns: TurnHandler, setAside: string[]): InboxDrainer {
  return new InboxDrainer({
    inbox,
    turns,
    room: () => 10,
    concurrency: 2,
    leaseMs: 30_000,
    retryMs: 10,
    pollMs: 10,
    maxFailures: 3,
    onSetAside: (_error, conversationId) => setAside.push(conversationId),
  });
}

/** Runs the drainer until `done()` holds (or 10 s), then stops it. */
async function drainUntil(drainer: InboxDrainer, done: () => boolean): Promise<void> {
  drainer.start();
  const until = Date.now() + 10_000;
  while (!done() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  await drainer.stop();
}

describe('the overflow inbox drainer and a turn that keeps failing', () => {
  it('sets aside a turn that fails for a lasting reason (a bug) after maxFailures, and runs the turns queued behind it', async () => {
    const inbox = new RedisOverflowInbox(redis, { prefix: `poison-${randomUUID()}`, maxEntries: 10 });
    await inbox.add('slack:T1:U1', { at: 1, inbound: { ...said('boom', 1) } });
    await inbox.add('slack:T1:U1', { at: 2, inbound: { ...said('ciao', 2) } });
    const ran: string[] = [];
    let attempts = 0;
    const setAside: string[] = [];
    const turns: TurnHandler = {
      handle: async (inbound): Promise<TurnResult> => {
        const text = (inbound.event as { text: string }).text;
        if (text === 'boom') {
          attempts++;
          throw new AppError('tsid_internal', 'a bug in the flow');
        }
        ran.push(text);
        return { status: 'done', messages: [] };
      },
      status: () => Promise.resolve(undefined),
    };
    const drainer = quickDrainer(inbox, turns, setAside);
    await drainUntil(drainer, () => ran.length > 0);
    expect({ ran, attempts, setAside }).toEqual({ ran: ['ciao'], attempts: 3, setAside: ['slack:T1:U1'] });
    expect((await inbox.stats()).entries).toBe(0);
  });

  it('keeps retrying, in order, a turn that fails because the store is down, however often', async () => {
    const inbox = new RedisOverflowInbox(redis, { prefix: `poison-${randomUUID()}`, maxEntries: 10 });
    await inbox.add('slack:T1:U1', { at: 1, inbound: { ...said('first', 1) } });
    await inbox.add('slack:T1:U1', { at: 2, inbound: { ...said('second', 2) } });
    const ran: string[] = [];
    let failuresLeft = 8;
    const turns: TurnHandler = {
      handle: async (inbound): Promise<TurnResult> => {
        if (failuresLeft-- > 0) throw new AppError('tsid_store_unavailable', 'no answer within 2000 ms');
        ran.push((inbound.event as { text: string }).text);
        return { status: 'done', messages: [] };
      },
      status: () => Promise.resolve(undefined),
    };
    const setAside: string[] = [];
    const drainer = quickDrainer(inbox, turns, setAside);
    await drainUntil(drainer, () => ran.length === 2);
    expect({ ran, setAside }).toEqual({ ran: ['first', 'second'], setAside: [] });
  });
});
