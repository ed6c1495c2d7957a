import { deliveryRejected, isRejectingStatus } from '../../src/errors.js';

/**
 * Retries a Bot Connector call on 429 and 5xx with exponential backoff. The connector
 * client already retries a 5xx three times (and a 429 that carries Retry-After) inside
 * the SDK; this is the outer layer that also covers a bare 429 and an outage longer than
 * the SDK's few seconds. When it gives up, the error goes back to the engine, which keeps
 * the message in the outbox (and stops that conversation's queue, so order is kept).
 */
export interface RetryOptions {
  /** Calls in all, the first included (default 4). */
  attempts?: number;
  /** First wait; doubles each time (default 1 s). */
  baseDelayMs?: number;
  /** Longest single wait, Retry-After included (default 30 s). */
  maxDelayMs?: number;
  /** Injected in tests so no real time passes. */
  sleep?: (ms: number) => Promise<void>;
  /** Told before each wait (logs, metrics). */
  onRetry?: (info: { attempt: number; delayMs: number; status: number }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call`, retrying throttling and server errors; anything else fails at once. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const status = retryableStatus(error);
      if (status === undefined || attempt >= attempts) throw error;
      const backoff = base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      const delayMs = Math.min(max, retryAfterMs(error) ?? backoff);
      options.onRetry?.({ attempt, delayMs, status });
      await sleep(delayMs);
    }
  }
}

/** The HTTP status of a connector error worth retrying: 429 or 5xx (not 501/505). */
export function retryableStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number') return undefined;
  if (status === 429 || (status >= 500 && status !== 501 && status !== 505)) return status;
  return undefined;
}

/** Retry-After (seconds or an HTTP date) from the connector's response, in ms. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined } } } | null)
    ?.response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The error to pass on once retries are over: a `tsid_delivery_rejected` AppError when the
 * connector refused this activity for good (400, 403 the user blocked the bot, 404 the
 * conversation is gone, 413 too large: see `isRejectingStatus`), the error unchanged
 * otherwise, so the outbox retries it.
 */
export function connectorRejection(error: unknown): unknown {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && isRejectingStatus(status) ? deliveryRejected(`http_${status}`, error) : error;
}
