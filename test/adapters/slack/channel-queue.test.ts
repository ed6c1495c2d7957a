import { describe, expect, it } from '@jest/globals';
import { ChannelQueue } from '../../../adapters/slack/channel-queue.js';

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('rate limited');
  }
}

/** A queue on a recorded, instant sleep: the waits are checked, not waited. */
function queue(minIntervalMs: number, maxRetries?: number) {
  const log: string[] = [];
  const q = new ChannelQueue({
    minIntervalMs,
    maxRetries,
    retryDelayMs: (error) => (error instanceof RateLimited ? error.retryAfterMs : undefined),
    sleep: async (ms) => void log.push(`sleep ${ms}`),
  });
  return { q, log };
}

describe('ChannelQueue', () => {
  it('sends to one channel in call order, spacing each send', async () => {
    const { q, log } = queue(1000);
    const slow = (name: string, ms: number) => () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          log.push(name);
          resolve(name);
        }, ms),
      );
    const results = await Promise.all([q.run('D1', slow('a', 30)), q.run('D1', slow('b', 1)), q.run('D1', slow('c', 10))]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(results).toEqual(['a', 'b', 'c']);
    // The first send does not wait; the lane waits after each send, so the next one is spaced.
    expect(log).toEqual(['a', 'sleep 1000', 'b', 'sleep 1000', 'c', 'sleep 1000']);
    expect(q.pending).toBe(0);
  });

  it('waits out a rate limit and retries, keeping the order behind it', async () => {
    const { q, log } = queue(0);
    let first = true;
    const limited = async () => {
      if (first) {
        first = false;
        log.push('429');
        throw new RateLimited(3000);
      }
      log.push('first');
    };
    await Promise.all([q.run('D1', limited), q.run('D1', async () => void log.push('second'))]);
    expect(log).toEqual(['429', 'sleep 3000', 'first', 'second']);
  });

  it('gives up after maxRetries rate limits, and other errors at once; the lane goes on', async () => {
    const { q, log } = queue(0, 2);
    const always = async () => {
      log.push('try');
      throw new RateLimited(10);
    };
    await expect(q.run('D1', always)).rejects.toBeInstanceOf(RateLimited);
    expect(log.filter((line) => line === 'try')).toHaveLength(3);
    await expect(q.run('D1', async () => Promise.reject(new Error('channel_not_found')))).rejects.toThrow('channel_not_found');
    await expect(q.run('D1', async () => 'after')).resolves.toBe('after');
  });

  it('does not make one channel wait for another', async () => {
    const { q } = queue(0);
    let release!: () => void;
    const blocked = q.run('D1', () => new Promise<void>((resolve) => (release = resolve)));
    await expect(q.run('D2', async () => 'other')).resolves.toBe('other');
    await new Promise((resolve) => setImmediate(resolve));
    expect(q.pending).toBe(1);
    release();
    await blocked;
    await new Promise((resolve) => setImmediate(resolve));
    expect(q.pending).toBe(0);
  });
});
