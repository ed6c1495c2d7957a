import { createHash } from 'node:crypto';
import { createClient, createCluster, createSentinel } from 'redis';
import { AppError } from '../errors.js';

/** Where Redis is: one node (`REDIS_URL`), a Cluster (seed URLs) or a Sentinel-watched master. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: string[] }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; name: string };

/**
 * The node-redis client every Redis-backed part shares: a single-node client, a Cluster
 * client or a Sentinel client. They offer the same commands, and every key the stores send
 * together shares a hash tag, so the stores never need to know which one they hold.
 */
export type RedisConnection = SingleNodeConnection | ReturnType<typeof buildCluster> | ReturnType<typeof buildSentinel>;

/** A client of one node: what a plain URL gives (tools that need per-node commands, such as the benchmark). */
export type SingleNodeConnection = ReturnType<typeof buildClient>;

export interface RedisConnectionOptions {
  /**
   * How long one store operation may take before it fails with `tsid_store_unavailable`
   * (default 2 s). node-redis's own command timeout only covers commands not yet written,
   * so a frozen Redis would otherwise hang a turn forever.
   */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts (default 1 s). */
  maxReconnectDelayMs?: number;
  /** Connection problems go here (default: dropped). The client reconnects by itself. */
  onError?: (error: Error) => void;
  /** Client name shown by `CLIENT LIST`. */
  name?: string;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 2000;
const timeouts = new WeakMap<RedisConnection, number>();

/** Told of every store operation on a connection (metrics: how long, how many at once). */
export interface RedisObserver {
  operation(ms: number, failed: boolean): void;
  /** Operations under way on the connection, after one started. */
  inFlight(count: number): void;
}
const observers = new WeakMap<RedisConnection, RedisObserver>();
const inFlight = new WeakMap<RedisConnection, number>();

export function observeRedis(connection: RedisConnection, observer: RedisObserver): void {
  observers.set(connection, observer);
}

/**
 * Creates a client that never queues commands while disconnected (they fail at once),
 * reconnects forever with a capped backoff, and never crashes the process on an
 * 'error' event. It starts connecting in the background and is returned at once, so the
 * process starts even while Redis is down; `/readyz` tells when it is usable.
 * A plain string is a single node's URL.
 */
export function createRedisConnection(target: string, options?: RedisConnectionOptions): SingleNodeConnection;
export function createRedisConnection(target: string | RedisTarget, options?: RedisConnectionOptions): RedisConnection;
export function createRedisConnection(
  target: string | RedisTarget,
  options: RedisConnectionOptions = {},
): RedisConnection {
  const where: RedisTarget = typeof target === 'string' ? { kind: 'single', url: target } : target;
  const client: RedisConnection =
    where.kind === 'cluster'
      ? buildCluster(where.nodes, options)
      : where.kind === 'sentinel'
        ? buildSentinel(where, options)
        : buildClient(where.url, options);
  client.on('error', (error: Error) => options.onError?.(error));
  timeouts.set(client, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  if (where.kind === 'single') {
    // The first connection also goes through the reconnect strategy; errors are reported above.
    client.connect().catch((error: Error) => options.onError?.(error));
  } else {
    // Cluster and Sentinel clients give up when no seed answers at start: keep trying.
    connectUntilOpen(client, options);
  }
  return client;
}

function connectUntilOpen(client: RedisConnection, options: RedisConnectionOptions, attempt = 0): void {
  client.connect().catch((error: Error) => {
    options.onError?.(error);
    if (closed.has(client)) return;
    const timer = setTimeout(
      () => connectUntilOpen(client, options, attempt + 1),
      backoff(attempt, options.maxReconnectDelayMs ?? 1000),
    );
    timer.unref();
  });
}

const closed = new WeakSet<RedisConnection>();

// Jitter keeps a fleet of instances from reconnecting in lockstep after an outage.
const backoff = (retries: number, maxDelay: number) =>
  Math.min(50 * 2 ** retries, maxDelay) * (0.5 + Math.random() / 2);

function socketOptions(options: RedisConnectionOptions) {
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  return {
    connectTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    reconnectStrategy: (retries: number) => backoff(retries, maxDelay),
  };
}

/**
 * Commands waiting for Redis, per connection. The turn budget bounds them first (a turn has one
 * command in flight at a time; background loops add some 30); past this a command fails at
 * once instead of queueing memory and time it would then spend timing out.
 */
export const COMMANDS_QUEUE_MAX = 5_000;

function buildClient(url: string, options: RedisConnectionOptions) {
  return createClient({
    url,
    name: options.name,
    disableOfflineQueue: true,
    commandsQueueMaxLength: COMMANDS_QUEUE_MAX,
    socket: socketOptions(options),
  });
}

/** Credentials and TLS come from the seeds' URLs (`rediss://user:pass@host:port`); every node gets them. */
function buildCluster(nodes: string[], options: RedisConnectionOptions) {
  const first = new URL(nodes[0]);
  return createCluster({
    rootNodes: nodes.map((url) => ({ url })),
    defaults: {
      name: options.name,
      disableOfflineQueue: true,
      commandsQueueMaxLength: COMMANDS_QUEUE_MAX,
      username: first.username ? decodeURIComponent(first.username) : undefined,
      password: first.password ? decodeURIComponent(first.password) : undefined,
      socket: { ...socketOptions(options), ...(first.protocol === 'rediss:' ? { tls: true as const } : {}) },
    },
    // After a master dies its slots move to a replica: look up the new owners soon, not after the default 5 s.
    topologyRefreshOnReconnectionAttemptStrategy: 200,
  });
}

function buildSentinel(target: Extract<RedisTarget, { kind: 'sentinel' }>, options: RedisConnectionOptions) {
  return createSentinel({
    name: target.name,
    sentinelRootNodes: target.sentinels,
    nodeClientOptions: {
      name: options.name,
      disableOfflineQueue: true,
      commandsQueueMaxLength: COMMANDS_QUEUE_MAX,
      socket: socketOptions(options),
    },
    sentinelClientOptions: { socket: socketOptions(options) },
    // Look for a new master soon after the old one stops answering.
    scanInterval: 500,
  });
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitUntilReady(connection: RedisConnection, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!connection.isReady) {
    if (Date.now() > deadline) throw new AppError('tsid_store_unavailable', 'Redis is not reachable');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Checks that Redis answers. On Cluster every master must answer: a dead master's slots
 * fail every command until its replica is promoted, so the instance is not ready then.
 */
/** Redis Cluster: a script may only touch keys of one hash slot. */
export function isCluster(connection: RedisConnection): boolean {
  return 'getMasters' in connection;
}

export async function pingRedis(connection: RedisConnection): Promise<void> {
  if ('getMasters' in connection) {
    if (!connection.isReady) throw new Error('cluster topology not discovered yet');
    await Promise.all(connection.getMasters().map(async (master) => (await connection.nodeClient(master)).ping()));
    return;
  }
  await connection.ping();
}

/**
 * WAIT for one replica to have every write sent so far on the connection that serves
 * `routingKey`, at most `timeoutMs`; resolves with how many replicas confirmed. Best effort:
 * the caller decides what 0 means (no replica, or a slow one).
 */
export async function waitForReplica(
  connection: RedisConnection,
  routingKey: string,
  timeoutMs: number,
): Promise<number> {
  if ('getMasters' in connection)
    return Number(await connection.sendCommand(routingKey, false, ['WAIT', '1', String(timeoutMs)]));
  return connection.wait(1, timeoutMs);
}

/** Closes the connection without waiting for Redis (it may be down). */
export function closeRedisConnection(connection: RedisConnection): void {
  closed.add(connection);
  if (connection.isOpen) void Promise.resolve(connection.destroy()).catch(() => undefined);
}

/**
 * Runs one Redis operation under the connection's deadline and turns every failure into
 * `tsid_store_unavailable` (the cause is kept). A timed-out write may still be applied by
 * Redis later: every write is one atomic script, so it is applied whole or not at all.
 */
export async function withRedis<T>(connection: RedisConnection, what: string, operation: () => Promise<T>): Promise<T> {
  const ms = timeouts.get(connection) ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const observer = observers.get(connection);
  const started = performance.now();
  let failed = false;
  if (observer) {
    inFlight.set(connection, (inFlight.get(connection) ?? 0) + 1);
    observer.inFlight(inFlight.get(connection)!);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    failed = true;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('tsid_store_unavailable', `Redis ${what} failed: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
    if (observer) {
      inFlight.set(connection, inFlight.get(connection)! - 1);
      observer.operation(performance.now() - started, failed);
    }
  }
}

/** A Lua script run with EVALSHA, falling back to EVAL when Redis lost its script cache. */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(connection: RedisConnection, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await connection.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return connection.eval(this.source, options);
    }
  }
}
