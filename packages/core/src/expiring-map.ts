export interface ExpiringMapOptions {
  /** How long an entry lives after it is set. */
  ttlMs: number;
  /** Upper bound on entries; past it the oldest go first. */
  maxEntries: number;
  now?: () => number;
}

interface Entry<V> {
  at: number;
  value: V;
}

/**
 * A map whose entries expire after a fixed time and whose size is capped, so what a channel
 * remembers about recent messages (seen ids, answers to repeat) cannot grow without bound.
 * Every operation is amortized O(1), however full the map is.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, Entry<V>>();
  // The entries in the order they were set, oldest first; expiry and the cap take from the
  // front. (Walking the Map itself from its start would also walk the slots its own deletions
  // left there, which V8 reclaims only when it rehashes: each call grew with the deletions.)
  // A slot whose entry was replaced or deleted since is stale and skipped.
  private order: Array<[string, Entry<V>]> = [];
  private head = 0;
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
    const entry = { at: now, value };
    this.entries.set(key, entry);
    this.order.push([key, entry]);
    while (this.entries.size > this.options.maxEntries) this.dropOldest();
    const slots = this.order.length - this.head;
    if ((this.head > 1024 && this.head > slots) || slots > 2 * this.entries.size + 1024) this.compact();
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

  private expire(now: number): void {
    for (let oldest = this.front(); oldest && now - oldest.at >= this.options.ttlMs; oldest = this.front()) this.dropOldest();
  }

  /** The oldest live entry, once stale slots before it are passed. */
  private front(): Entry<V> | undefined {
    while (this.head < this.order.length) {
      const [key, entry] = this.order[this.head]!;
      if (this.entries.get(key) === entry) return entry;
      this.head += 1;
    }
    this.order = [];
    this.head = 0;
    return undefined;
  }

  private dropOldest(): void {
    if (!this.front()) return;
    this.entries.delete(this.order[this.head]![0]);
    this.head += 1;
  }

  /** Drops the slots already passed and the stale ones, so the order list stays proportional to the map. */
  private compact(): void {
    this.order = this.order.slice(this.head).filter(([key, entry]) => this.entries.get(key) === entry);
    this.head = 0;
  }
}
