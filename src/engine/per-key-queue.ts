/**
 * Runs tasks one at a time per key, in arrival order, within this process. The engine uses
 * it for the load-transition-save of one conversation: turns of the same customer on one
 * instance then never race each other, and compare-and-set only arbitrates between instances.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
