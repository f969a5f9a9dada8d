/** Callbacks that may wait for a passive reply at full length; past this many, none waits. */
export const PASSIVE_WAITERS = 32;

/**
 * How long a callback may hold its answer open for a passive reply, given how many already
 * do: the configured window while few wait, shrinking in step with each waiter, none at all
 * past PASSIVE_WAITERS. Under a burst the acks go back at once (a held ack ties up a
 * connection, and WeCom retries one that takes 5 s); quiet, a quick answer still rides in the
 * callback and saves a message/send call.
 */
export class PassiveBudget {
  private waiting = 0;

  /** The window for the next callback, in ms, given the configured maximum. */
  windowFor(maxMs: number): number {
    return Math.floor(maxMs * Math.max(0, 1 - this.waiting / PASSIVE_WAITERS));
  }

  /** Counts a callback as waiting while `wait` runs. */
  async hold<T>(wait: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    try {
      return await wait();
    } finally {
      this.waiting -= 1;
    }
  }
}
