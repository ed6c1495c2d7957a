import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '../../src/errors.js';
import {
  closeRedisConnection,
  createRedisConnection,
  waitUntilReady,
  type RedisConnection,
} from '../../src/store/redis-connection.js';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.js';
import { startRedisServer, type RedisServer } from '../support/redis.js';

let server: RedisServer;
const opened: RedisConnection[] = [];

beforeAll(async () => {
  server = await startRedisServer(); // of its own: these tests stop and freeze it
});
afterAll(async () => {
  opened.forEach(closeRedisConnection);
  server.thaw();
  await server.dispose();
});

function open(commandTimeoutMs = 300) {
  const errors: Error[] = [];
  const connection = createRedisConnection(server.url, { commandTimeoutMs, onError: (error) => errors.push(error) });
  opened.push(connection);
  const store = new RedisConversationStore(connection, { prefix: 'conn', retentionMs: 60_000 });
  return { connection, store, errors };
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; ms: number }> {
  const started = Date.now();
  try {
    await promise;
    return { ms: Date.now() - started };
  } catch (error) {
    return { code: error instanceof AppError ? error.code : String(error), ms: Date.now() - started };
  }
}

describe('the Redis connection', () => {
  it('starts while Redis is down, fails fast meanwhile, and connects once Redis is up', async () => {
    await server.stop();
    const { connection, store, errors } = open();
    const down = await failure(store.ping());
    expect(down.code).toBe('tsid_store_unavailable');
    expect(down.ms).toBeLessThan(1000);
    // The refused connection is reported to the listener, not thrown at the process. Waited for
    // before Redis comes back: checked after, a connect attempt that had not yet been refused
    // when the server came back up left nothing to see (a flaky failure under load).
    for (const until = Date.now() + 3_000; errors.length === 0 && Date.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors.length).toBeGreaterThan(0);
    await server.start();
    await waitUntilReady(connection);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('gives up on a frozen Redis after the command timeout and works again once it thaws', async () => {
    const { connection, store } = open(300);
    await waitUntilReady(connection);
    server.freeze();
    const frozen = await failure(store.load('slack:T1:U1'));
    server.thaw();
    expect(frozen.code).toBe('tsid_store_unavailable');
    expect(frozen.ms).toBeGreaterThanOrEqual(250);
    expect(frozen.ms).toBeLessThan(2000);
    await expect(store.load('slack:T1:U1')).resolves.toBeUndefined();
  });

  it('reconnects by itself after Redis restarts', async () => {
    const { connection, store } = open();
    await waitUntilReady(connection);
    await server.stop();
    expect((await failure(store.ping())).code).toBe('tsid_store_unavailable');
    await server.start();
    await waitUntilReady(connection);
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
