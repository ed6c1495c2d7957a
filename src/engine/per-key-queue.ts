/**
 * Runs tasks one at a time per key, in arrival order, within this process; different keys
 * run side by side, and a failed task does not block the next. The engine runs one
 * conversation's load-transition-save through it (so compare-and-set only arbitrates between
 * instances); the Teams adapter its sends to one conversation.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // `tail` never rejects (caught above); the clean-up runs once this key's queue is idle.
    tail.then(
      () => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      },
      () => undefined,
    );
    return result;
  }

  /** Keys with work queued or running (tests, metrics). */
  get size(): number {
    return this.tails.size;
  }
}
