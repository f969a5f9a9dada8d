/**
 * Runs tasks one after another per key and in parallel across keys: the messages of one
 * session are answered in the order they came, different sessions do not wait for each other.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      // Forget idle keys so the map does not grow with every user ever seen.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
