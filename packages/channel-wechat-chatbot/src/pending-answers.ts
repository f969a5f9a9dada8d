import { createMemoryStores, type PendingStore } from '@wecom-bot/core';

/**
 * Finished answers that missed their HTTP response, kept per user in the pending store (disk
 * or Redis: a restart or another instance hands them over) until the user's next request
 * collects them; plus, in this process, a count of the user's messages still being worked on
 * (so a follow-up can wait for them). Answers expire after `ttlMs`; past `maxAnswersPerUser`
 * the oldest are dropped and reported through `onDrop`.
 */
export interface PendingAnswersOptions {
  /** Where answers are kept; default: this process's memory. */
  store?: PendingStore;
  /** How long an uncollected answer is kept, in ms. */
  ttlMs?: number;
  maxAnswersPerUser?: number;
  /** The clock of the default in-memory store (tests move it). */
  now?: () => number;
  onDrop?: (key: string, dropped: number, why: 'too many answers') => void;
}

/** This process's work for one user: messages in flight and requests waiting for their answers. */
interface Local {
  inFlight: number;
  waiters: Set<() => void>;
}

/** The store is shared with other channels: this one's keys say whose they are. */
const KEY_PREFIX = 'wechat_chatbot:';

export class PendingAnswers {
  private readonly local = new Map<string, Local>();
  private readonly store: PendingStore;
  private readonly ttlMs: number;
  private readonly maxAnswers: number;
  private readonly onDrop: NonNullable<PendingAnswersOptions['onDrop']>;

  constructor(options: PendingAnswersOptions = {}) {
    this.store = options.store ?? createMemoryStores({ now: options.now }).pending;
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.maxAnswers = options.maxAnswersPerUser ?? 5;
    this.onDrop = options.onDrop ?? (() => {});
  }

  /** A message of this user is being worked on here. */
  begin(key: string): void {
    const entry = this.local.get(key) ?? { inFlight: 0, waiters: new Set() };
    entry.inFlight += 1;
    this.local.set(key, entry);
  }

  /** That work has finished (with or without an answer). */
  end(key: string): void {
    const entry = this.local.get(key);
    if (!entry) return;
    entry.inFlight = Math.max(0, entry.inFlight - 1);
    if (entry.inFlight === 0) this.wake(key);
    this.forgetIfIdle(key, entry);
  }

  /** Keeps an answer for the user's next request (to whichever instance it comes). */
  async add(key: string, answer: string): Promise<void> {
    const dropped = await this.store.add(KEY_PREFIX + key, answer, { ttlMs: this.ttlMs, max: this.maxAnswers });
    if (dropped > 0) this.onDrop(key, dropped, 'too many answers');
    this.wake(key);
  }

  /** Removes and returns the user's finished answers, oldest first. */
  take(key: string): Promise<string[]> {
    return this.store.take<string>(KEY_PREFIX + key);
  }

  /** True when the user has answers waiting, or messages still being worked on here. */
  async hasWork(key: string): Promise<boolean> {
    return (this.local.get(key)?.inFlight ?? 0) > 0 || (await this.store.count(KEY_PREFIX + key)) > 0;
  }

  /**
   * Resolves with the user's answers as soon as there are any, or with [] once nothing is
   * in flight here any more or `ms` has passed.
   */
  async waitFor(key: string, ms: number): Promise<string[]> {
    const entry = this.local.get(key);
    if (!entry || entry.inFlight === 0 || ms <= 0 || (await this.store.count(KEY_PREFIX + key)) > 0) return this.take(key);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        entry?.waiters.delete(done);
        resolve();
      }
      entry.waiters.add(done);
    });
    this.forgetIfIdle(key, entry);
    return this.take(key);
  }

  /** Users with work in flight here (for benchmarks and tests). */
  get size(): number {
    return this.local.size;
  }

  private wake(key: string): void {
    for (const wake of [...(this.local.get(key)?.waiters ?? [])]) wake();
  }

  private forgetIfIdle(key: string, entry: Local): void {
    if (entry.inFlight === 0 && entry.waiters.size === 0 && this.local.get(key) === entry) this.local.delete(key);
  }
}
