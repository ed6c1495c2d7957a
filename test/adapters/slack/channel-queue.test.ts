import { describe, expect, it } from '@jest/globals';
import { ChannelQueue } from '../../../adapters/slack/channel-queue.js';

class RateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super('rate limited');
  }
}

/** A queue on a recorded, instant sleep and a manual clock: the waits are checked, not waited. */
function queue(minIntervalMs: number, maxRetries?: number, burst?: number) {
  const log: string[] = [];
  let now = 0;
  const q = new ChannelQueue({
    minIntervalMs,
    maxRetries,
    burst,
    now: () => now,
    retryDelayMs: (error) => (error instanceof RateLimited ? error.retryAfterMs : undefined),
    sleep: async (ms) => {
      log.push(`sleep ${ms}`);
      now += ms;
    },
  });
  return { q, log, advance: (ms: number) => void (now += ms) };
}

const record = (log: string[], name: string) => async () => void log.push(name);

describe('ChannelQueue', () => {
  it('sends to one channel in call order, slow sends included', async () => {
    const { q, log } = queue(0);
    const slow = (name: string, ms: number) => () =>
      new Promise<string>((resolve) =>
        setTimeout(() => {
          log.push(name);
          resolve(name);
        }, ms),
      );
    const results = await Promise.all([
      q.run('D1', slow('a', 30)),
      q.run('D1', slow('b', 1)),
      q.run('D1', slow('c', 10)),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(q.pending).toBe(0);
  });

  it('sends a burst of three at once, then one per interval', async () => {
    const { q, log } = queue(1000);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => q.run('D1', record(log, name))));
    expect(log).toEqual(['a', 'b', 'c', 'sleep 1000', 'd', 'sleep 1000', 'e']);
  });

  it('refills the bucket with time: after a pause, a new burst goes at once', async () => {
    const { q, log, advance } = queue(1000);
    await Promise.all(['a', 'b', 'c'].map((name) => q.run('D1', record(log, name))));
    advance(1000);
    await q.run('D1', record(log, 'd'));
    await q.run('D1', record(log, 'e'));
    expect(log).toEqual(['a', 'b', 'c', 'd', 'sleep 1000', 'e']);
    advance(10_000);
    await Promise.all(['f', 'g', 'h'].map((name) => q.run('D1', record(log, name))));
    expect(log.slice(6)).toEqual(['f', 'g', 'h']);
  });

  it('with a burst of one, spaces every send', async () => {
    const { q, log } = queue(1000, undefined, 1);
    await Promise.all(['a', 'b', 'c'].map((name) => q.run('D1', record(log, name))));
    expect(log).toEqual(['a', 'sleep 1000', 'b', 'sleep 1000', 'c']);
  });

  it.each([
    [0, ['429', 'sleep 3000', 'first', 'second']],
    // With pacing, the bucket is empty after Retry-After: the next send waits one interval more.
    [1000, ['429', 'sleep 3000', 'first', 'sleep 1000', 'second']],
  ])('waits out a rate limit and retries, keeping the order behind it (interval %i ms)', async (interval, expected) => {
    const { q, log } = queue(interval);
    let first = true;
    const limited = async () => {
      if (first) {
        first = false;
        log.push('429');
        throw new RateLimited(3000);
      }
      log.push('first');
    };
    await Promise.all([q.run('D1', limited), q.run('D1', record(log, 'second'))]);
    expect(log).toEqual(expected);
  });

  it('gives up after maxRetries rate limits, and other errors at once; the lane goes on', async () => {
    const { q, log } = queue(0, 2);
    const always = async () => {
      log.push('try');
      throw new RateLimited(10);
    };
    await expect(q.run('D1', always)).rejects.toBeInstanceOf(RateLimited);
    expect(log.filter((line) => line === 'try')).toHaveLength(3);
    await expect(q.run('D1', async () => Promise.reject(new Error('channel_not_found')))).rejects.toThrow(
      'channel_not_found',
    );
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
