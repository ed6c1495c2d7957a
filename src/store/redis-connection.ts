import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { AppError } from '../errors.js';

/** The node-redis client every Redis-backed part shares. */
export type RedisConnection = ReturnType<typeof buildClient>;

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

/**
 * Creates a client that never queues commands while disconnected (they fail at once),
 * reconnects forever with a capped backoff, and never crashes the process on an
 * 'error' event. It starts connecting in the background and is returned at once, so the
 * process starts even while Redis is down; `/readyz` tells when it is usable.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): RedisConnection {
  const client = buildClient(url, options);
  client.on('error', (error: Error) => options.onError?.(error));
  timeouts.set(client, options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  // The first connection also goes through the reconnect strategy; errors are reported above.
  client.connect().catch((error: Error) => options.onError?.(error));
  return client;
}

function buildClient(url: string, options: RedisConnectionOptions) {
  const maxDelay = options.maxReconnectDelayMs ?? 1000;
  return createClient({
    url,
    name: options.name,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      // Jitter keeps a fleet of instances from reconnecting in lockstep after an outage.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, maxDelay) * (0.5 + Math.random() / 2),
    },
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

/** Closes the connection without waiting for Redis (it may be down). */
export function closeRedisConnection(connection: RedisConnection): void {
  if (connection.isOpen) connection.destroy();
}

/**
 * Runs one Redis operation under the connection's deadline and turns every failure into
 * `tsid_store_unavailable` (the cause is kept). A timed-out write may still be applied by
 * Redis later: every write is one atomic script, so it is applied whole or not at all.
 */
export async function withRedis<T>(connection: RedisConnection, what: string, operation: () => Promise<T>): Promise<T> {
  const ms = timeouts.get(connection) ?? DEFAULT_COMMAND_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([operation(), deadline]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('tsid_store_unavailable', `Redis ${what} failed: ${reason}`, { cause: error });
  } finally {
    clearTimeout(timer);
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
