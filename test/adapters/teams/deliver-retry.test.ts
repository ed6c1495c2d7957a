import { describe, expect, it } from '@jest/globals';
import { retryAfterMs, withRetry } from '../../../adapters/teams/deliver-retry.js';

/** An error shaped like the connector client's RestError. */
const restError = (statusCode: number, retryAfter?: string) =>
  Object.assign(new Error(`HTTP ${statusCode}`), {
    statusCode,
    response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
  });

/** A call that fails with the given errors, then succeeds. */
function flaky(errors: Error[]) {
  let calls = 0;
  const call = async () => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return 'sent';
  };
  return { call, calls: () => calls };
}

describe('withRetry', () => {
  it('retries 429 and 5xx with growing waits, then succeeds', async () => {
    const waits: number[] = [];
    const target = flaky([restError(429), restError(503), restError(500)]);
    await expect(withRetry(target.call, { baseDelayMs: 100, sleep: async (ms) => void waits.push(ms) })).resolves.toBe(
      'sent',
    );
    expect(target.calls()).toBe(4);
    expect(waits).toHaveLength(3);
    // 100·2^(n-1), with jitter between half and all of it.
    waits.forEach((ms, index) => {
      expect(ms).toBeGreaterThanOrEqual(50 * 2 ** index);
      expect(ms).toBeLessThanOrEqual(100 * 2 ** index);
    });
  });

  it('honours Retry-After, capped by maxDelayMs', async () => {
    const waits: number[] = [];
    const target = flaky([restError(429, '2'), restError(429, '3600')]);
    await withRetry(target.call, { maxDelayMs: 10_000, sleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([2000, 10_000]);
  });

  it('gives up after `attempts` calls with the last error', async () => {
    const target = flaky([restError(429), restError(429), restError(429)]);
    await expect(withRetry(target.call, { attempts: 3, sleep: async () => undefined })).rejects.toMatchObject({
      statusCode: 429,
    });
    expect(target.calls()).toBe(3);
  });

  it.each([400, 401, 403, 404, 501])('does not retry a %i', async (status) => {
    const target = flaky([restError(status)]);
    await expect(withRetry(target.call, { sleep: async () => undefined })).rejects.toMatchObject({
      statusCode: status,
    });
    expect(target.calls()).toBe(1);
  });

  it('does not retry an error without a status (a bug, not the network)', async () => {
    const target = flaky([new TypeError('boom')]);
    await expect(withRetry(target.call, { sleep: async () => undefined })).rejects.toThrow('boom');
    expect(target.calls()).toBe(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 5, 9, 0, 0);
    expect(retryAfterMs(restError(429, '0'), now)).toBe(0);
    expect(retryAfterMs(restError(429, new Date(now + 5000).toUTCString()), now)).toBe(5000);
    expect(retryAfterMs(restError(429, 'soon'), now)).toBeUndefined();
    expect(retryAfterMs(restError(429), now)).toBeUndefined();
  });
});
