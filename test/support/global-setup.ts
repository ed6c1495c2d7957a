import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';

// Jest loads the global setup outside its module mapper, so this file cannot import its
// siblings: the redis-server helpers live here and test/support/redis.ts re-exports them.

declare global {
  // Shared with global-teardown.ts: Jest runs both in the same parent process.
  var tsidRedisServer: RedisServer | undefined;
}

/**
 * Provides the Redis every Redis test uses: REDIS_URL when set (checked to answer), else a
 * private `redis-server` on a free loopback port whose URL goes to the workers through
 * process.env.REDIS_URL. Fails with a clear message when neither works: never a silent skip.
 */
export default async function globalSetup(): Promise<void> {
  const { url, server } = await provideRedis(process.env);
  globalThis.tsidRedisServer = server;
  process.env.REDIS_URL = url;
}

/** The Redis for a test run: `env.REDIS_URL` if it answers, else a new redis-server (`binary`). */
export async function provideRedis(
  env: Record<string, string | undefined>,
  binary = 'redis-server',
): Promise<{ url: string; server?: RedisServer }> {
  if (env.REDIS_URL) {
    await checkAnswers(env.REDIS_URL);
    return { url: env.REDIS_URL };
  }
  const server = await startRedisServer({ binary });
  return { url: server.url, server };
}

async function checkAnswers(url: string): Promise<void> {
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new Error(`REDIS_URL is set but Redis does not answer there: ${(error as Error).message}`, { cause: error });
  } finally {
    if (client.isOpen) client.destroy();
  }
}

/** A redis-server this test run started, on loopback and a free port. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM); with `persistent` its data comes back on `start()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Freezes / thaws the process (SIGSTOP / SIGCONT): Redis up but not answering. */
  freeze(): void;
  thaw(): void;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** What to do when there is no Redis to test against. */
export const REDIS_MISSING_HELP =
  'Redis tests need a Redis: set REDIS_URL=redis://host:port, or install redis-server (Debian: apt-get install -y redis-server; .ci/run does it).';

/**
 * Starts a private redis-server on a free loopback port (another port when the probed one is
 * taken before redis binds it). `persistent` turns on an fsync-always append-only file in a
 * temporary directory, so a stop and start keeps every acknowledged write.
 */
export function startRedisServer(
  options: { persistent?: boolean; binary?: string; pickPort?: () => Promise<number> } = {},
): Promise<RedisServer> {
  return onFreePort((port) => startRedisServerOn(port, options), 5, options.pickPort);
}

async function startRedisServerOn(
  port: number,
  options: { persistent?: boolean; binary?: string },
): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tsid-redis-'));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push(...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let child: ChildProcess | undefined;
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = await launch(options.binary ?? 'redis-server', args, port);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      running.kill('SIGCONT');
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async dispose() {
      await server.stop();
      cleanUp();
    },
  };
  await server.start().catch((error) => {
    cleanUp();
    throw error;
  });
  return server;
}

/** A server could not bind its port (someone took it after the probe): another port may work. */
export class PortTakenError extends Error {}

/**
 * Runs `start` on a free loopback port, and again on another one (at most `tries` in all)
 * when it fails with PortTakenError: a probed port is free only until someone else binds it.
 */
export async function onFreePort<T>(
  start: (port: number) => Promise<T>,
  tries = 5,
  pickPort: () => Promise<number> = freePort,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await start(await pickPort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= tries) throw error;
    }
  }
}

/** What a redis-server prints when a port it needs (client or cluster bus) is taken. */
const PORT_TAKEN = /Address already in use/i;

/**
 * Spawns `binary args` and resolves once 127.0.0.1:`port` answers PING (it is killed if it
 * never does). A start failure carries the end of the server's own log (redis logs to stdout);
 * a taken port is a PortTakenError.
 */
export async function launch(binary: string, args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  // Read for as long as it runs (a full pipe would stall redis); keep only the end.
  const keep = (chunk: Buffer) => (log = (log + String(chunk)).slice(-8_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const tail = () => log.trim().split('\n').slice(-15).join('\n');
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'ENOENT' ? `redis-server not found. ${REDIS_MISSING_HELP}` : `redis-server: ${error.message}`,
        ),
      ),
    );
    child.once('exit', (code) => {
      const reason = `redis-server (port ${port}) exited (${code}) at start; its log:\n${tail()}`;
      reject(PORT_TAKEN.test(log) ? new PortTakenError(reason) : new Error(reason));
    });
  });
  failed.catch(() => undefined);
  const deadline = Date.now() + 5000;
  for (;;) {
    const answered = await Promise.race([ping(port), failed]);
    // The answer may come from another server that took the port first: ours then fails to bind.
    if (answered && (await Promise.race([processIdOf(port), failed])) === child.pid) return child;
    if (answered) {
      child.kill('SIGKILL');
      throw new PortTakenError(`port ${port} is answered by another redis-server; its log:\n${tail()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within 5 s; its log:\n${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** True when something on 127.0.0.1:`port` answers a Redis PING with PONG. */
export function ping(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/** The `process_id` a Redis (or Sentinel) on 127.0.0.1:`port` reports in INFO server. */
function processIdOf(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += String(data);
      const match = /process_id:(\d+)/.exec(reply);
      if (!match) return;
      socket.destroy();
      resolve(Number(match[1]));
    });
    socket.once('timeout', () => (socket.destroy(), resolve(undefined)));
    socket.once('error', () => resolve(undefined));
    socket.once('close', () => resolve(undefined));
  });
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
