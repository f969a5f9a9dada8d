/**
 * Small async key-value storage with expiry, the shape botbuilder uses: every backend
 * (memory now, a shared store later) must pass `runSessionStoreConformance`.
 */
export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  /** `ttlSeconds` of 0 or less means no expiry. */
  set<T>(key: string, value: T, ttlSeconds?: number): Promise<void>;
  delete(key: string): Promise<void>;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

export class MemorySessionStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.value) as T;
  }

  async set<T>(key: string, value: T, ttlSeconds = 0): Promise<void> {
    this.sweep();
    const expiresAt = ttlSeconds > 0 ? this.now() + ttlSeconds * 1000 : Number.POSITIVE_INFINITY;
    // A copy, so a caller mutating its object cannot change what is stored (as a real store behaves).
    this.entries.set(key, { value: structuredClone(value), expiresAt });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  /** Drops expired entries now and then so abandoned sessions do not pile up in memory. */
  private sweep(): void {
    if (this.entries.size % 256 !== 0) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
