import { describe, expect, it } from '@jest/globals';
import { PerKeyQueue } from '../../src/engine/index.js';

describe('PerKeyQueue', () => {
  it('runs one key in order while other keys run alongside; a failure does not block the next task', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run('a', async () => {
      await gate;
      log.push('a1');
      throw new Error('a1 failed');
    });
    const second = queue.run('a', async () => void log.push('a2'));
    await queue.run('b', async () => void log.push('b1'));
    expect(log).toEqual(['b1']);
    release();
    await expect(first).rejects.toThrow('a1 failed');
    await second;
    expect(log).toEqual(['b1', 'a1', 'a2']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.size).toBe(0);
  });

  it('keeps a key queued while a later task runs: the earlier task ending does not let a third one start early', async () => {
    const queue = new PerKeyQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await queue.run('a', async () => void log.push('first'));
    const second = queue.run('a', async () => {
      log.push('second started');
      await gate;
      log.push('second ended');
    });
    // Let the first task's clean-up run while the second is still running.
    await new Promise((resolve) => setImmediate(resolve));
    const third = queue.run('a', async () => void log.push('third'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['first', 'second started']);
    release();
    await Promise.all([second, third]);
    expect(log).toEqual(['first', 'second started', 'second ended', 'third']);
  });
});
