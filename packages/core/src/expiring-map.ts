export interface ExpiringMapOptions {
  /** How long an entry lives after it is set. */
  ttlMs: number;
  /** Upper bound on entries; past it the oldest go first. */
  maxEntries: number;
  now?: () => number;
}

/**
 * A map whose entries expire after a fixed time and whose size is capped, so what a channel
 * remembers about recent messages (seen ids, answers to repeat) cannot grow without bound.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  private readonly now: () => number;

  constructor(private readonly options: ExpiringMapOptions) {
    this.now = options.now ?? Date.now;
  }

  get(key: string): V | undefined {
    this.expire(this.now());
    return this.entries.get(key)?.value;
  }

  set(key: string, value: V): void {
    const now = this.now();
    this.expire(now);
    // Re-inserting keeps the map in order of `at`, which expire() relies on.
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    if (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  has(key: string): boolean {
    this.expire(this.now());
    return this.entries.has(key);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Map order is insertion order, so expired entries sit at the front. */
  private expire(now: number): void {
    for (const [key, { at }] of this.entries) {
      if (now - at < this.options.ttlMs) break;
      this.entries.delete(key);
    }
  }
}
