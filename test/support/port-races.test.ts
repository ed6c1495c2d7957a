import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { freePort, launch, ping, startRedisServer, type RedisServer } from './global-setup.js';

// Test support that starts servers must survive a port taken between the probe and the bind
// (anything else on the machine may take it), and say why a start failed.
describe('starting test servers on free ports', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A port picker whose first answer is `taken`, then free ports; counts its calls. */
  function pickingFirst(taken: number): { pick: () => Promise<number>; calls: () => number } {
    let calls = 0;
    return { pick: () => (calls++ === 0 ? Promise.resolve(taken) : freePort()), calls: () => calls };
  }

  it('starts redis-server on another port when the probed one was taken by another listener', async () => {
    // A listener that is no Redis: it drops whatever connects (the start's PING probe too).
    const squatter: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(resolve)));
    const taken = (squatter.address() as { port: number }).port;
    const { pick, calls } = pickingFirst(taken);
    const server = await startRedisServer({ pickPort: pick });
    cleanups.push(() => server.dispose());
    expect(calls()).toBe(2);
    expect(server.port).not.toBe(taken);
  });

  it('does not take another redis-server that answers on the probed port for its own', async () => {
    const other: RedisServer = await startRedisServer();
    cleanups.push(() => other.dispose());
    const { pick, calls } = pickingFirst(other.port);
    const server = await startRedisServer({ pickPort: pick });
    cleanups.push(() => server.dispose());
    expect(calls()).toBe(2);
    expect(server.port).not.toBe(other.port);
    await other.stop();
    // Ours is still there once the other is gone.
    expect(await ping(server.port)).toBe(true);
  });

  it("shows the server's own log when it cannot start for another reason", async () => {
    const port = await freePort();
    await expect(launch('redis-server', ['--port', String(port), '--no-such-directive', 'yes'], port)).rejects.toThrow(
      /exited \(1\) at start; its log:[\s\S]*(Bad directive|no-such-directive)/,
    );
  });
});
