/** Callbacks a second (or waiting at once) past which none waits for a passive reply. */
export const PASSIVE_WAITERS = 32;
const SECOND_MS = 1000;

/**
 * How long a callback may hold its answer open for a passive reply: the configured window
 * while callbacks are few, shrinking in step with those that came in the last second (or are
 * still waiting), none at all past PASSIVE_WAITERS. Under a burst the acks go back at once (a
 * held ack ties up a connection, and WeCom retries one that takes 5 s); quiet, a quick answer
 * still rides in the callback and saves a message/send call. Counting arrivals, not only
 * waiters, keeps a steady stream from getting a long window each time the waiters run out.
 */
export class PassiveBudget {
  private waiting = 0;
  /** When the latest callbacks came, oldest first: at most PASSIVE_WAITERS of them. */
  private readonly arrivals: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a callback, and gives its window in ms, given the configured maximum. */
  windowFor(maxMs: number): number {
    const now = this.now();
    while (this.arrivals.length > 0 && now - this.arrivals[0]! >= SECOND_MS) this.arrivals.shift();
    const busy = Math.max(this.waiting, this.arrivals.length);
    this.arrivals.push(now);
    if (this.arrivals.length > PASSIVE_WAITERS) this.arrivals.shift();
    return Math.floor(maxMs * Math.max(0, 1 - busy / PASSIVE_WAITERS));
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
