/**
 * Finished answers that missed their HTTP response, kept per user until the user's next
 * request collects them, plus a count of the user's messages still being worked on (so a
 * follow-up can wait for them). Memory is bounded: entries expire, the number of users and
 * of answers per user is capped, and what is dropped is reported through `onDrop`.
 */
export interface PendingAnswersOptions {
  /** How long an uncollected answer is kept, in ms. */
  ttlMs?: number;
  maxUsers?: number;
  maxAnswersPerUser?: number;
  now?: () => number;
  onDrop?: (key: string, dropped: number, why: 'expired' | 'too many users' | 'too many answers') => void;
}

interface Entry {
  answers: string[];
  inFlight: number;
  expiresAt: number;
  waiters: Set<() => void>;
}

export class PendingAnswers {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxUsers: number;
  private readonly maxAnswers: number;
  private readonly now: () => number;
  private readonly onDrop: NonNullable<PendingAnswersOptions['onDrop']>;

  constructor(options: PendingAnswersOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.maxAnswers = options.maxAnswersPerUser ?? 5;
    this.now = options.now ?? Date.now;
    this.onDrop = options.onDrop ?? (() => {});
  }

  /** A message of this user is being worked on. */
  begin(key: string): void {
    this.touch(key).inFlight += 1;
  }

  /** That work has finished (with or without an answer). */
  end(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    this.notify(entry);
    this.forgetIfEmpty(key, entry);
  }

  /** Keeps an answer for the user's next request. */
  add(key: string, answer: string): void {
    const entry = this.touch(key);
    entry.answers.push(answer);
    if (entry.answers.length > this.maxAnswers) {
      const dropped = entry.answers.length - this.maxAnswers;
      entry.answers.splice(0, dropped);
      this.onDrop(key, dropped, 'too many answers');
    }
    this.notify(entry);
  }

  /** Removes and returns the user's finished answers, oldest first. */
  take(key: string): string[] {
    this.sweep();
    const entry = this.entries.get(key);
    if (!entry) return [];
    const answers = entry.answers.splice(0);
    this.forgetIfEmpty(key, entry);
    return answers;
  }

  /** True when the user has answers waiting or messages still being worked on. */
  hasWork(key: string): boolean {
    this.sweep();
    const entry = this.entries.get(key);
    return entry !== undefined && (entry.answers.length > 0 || entry.inFlight > 0);
  }

  /**
   * Resolves with the user's answers as soon as there are any, or with [] once nothing is
   * in flight any more or `ms` has passed.
   */
  async waitFor(key: string, ms: number): Promise<string[]> {
    const entry = this.entries.get(key);
    if (!entry || entry.answers.length > 0 || entry.inFlight === 0 || ms <= 0) return this.take(key);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        entry?.waiters.delete(done);
        resolve();
      }
      entry.waiters.add(done);
    });
    return this.take(key);
  }

  /** Users with something kept (for benchmarks and tests). */
  get size(): number {
    return this.entries.size;
  }

  private touch(key: string): Entry {
    this.sweep();
    let entry = this.entries.get(key);
    if (entry) {
      // Re-insert so Map order stays "least recently touched first" for expiry and eviction.
      this.entries.delete(key);
    } else {
      entry = { answers: [], inFlight: 0, expiresAt: 0, waiters: new Set() };
      this.evictForRoom();
    }
    entry.expiresAt = this.now() + this.ttlMs;
    this.entries.set(key, entry);
    return entry;
  }

  private evictForRoom(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size < this.maxUsers) return;
      this.entries.delete(key);
      this.notify(entry);
      if (entry.answers.length > 0) this.onDrop(key, entry.answers.length, 'too many users');
    }
  }

  /** Drops expired entries; Map order is touch order, so it stops at the first live one. */
  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.entries.delete(key);
      this.notify(entry);
      if (entry.answers.length > 0) this.onDrop(key, entry.answers.length, 'expired');
    }
  }

  private notify(entry: Entry): void {
    if (entry.answers.length === 0 && entry.inFlight > 0) return;
    for (const wake of [...entry.waiters]) wake();
  }

  private forgetIfEmpty(key: string, entry: Entry): void {
    if (entry.answers.length === 0 && entry.inFlight === 0 && entry.waiters.size === 0) this.entries.delete(key);
  }
}
