/**
 * The small synchronous key → JSON map every embedded store is built on. A change is applied
 * to memory at once (so a read-modify-write in one synchronous step is atomic within the
 * process) and the returned promise settles when it is as durable as asked: the memory
 * backend has nothing to wait for, the disk one appends to its log (see disk/disk-kv.ts).
 */
export interface KvEntry {
  /** The value as JSON text: kept serialized, so every read is a copy. */
  json: string;
  /** Ms since the epoch; 0: never. */
  expiresAt: number;
}

/**
 * How far a change gets before its promise settles. 'written': in the OS's cache (it survives
 * a crash of the process). 'synced': fsynced (it survives a power cut). 'soon': written, and
 * fsynced within about a second without waiting for it, for a change whose loss in a power cut
 * can only repeat work, never lose it.
 */
export type Durability = 'written' | 'soon' | 'synced';

export interface Kv {
  readonly now: () => number;
  get(key: string): string | undefined;
  /** The live entry with its expiry, or undefined. */
  getEntry(key: string): KvEntry | undefined;
  set(key: string, json: string, expiresAt: number, durability: Durability): Promise<void>;
  delete(key: string, durability: Durability): Promise<void>;
  /** The live entries (expired ones are skipped). */
  entries(): Generator<[string, KvEntry]>;
}

/** When something set now with `ttlMs` expires; 0 (never) for a TTL of 0 or less. */
export function expiryAt(now: number, ttlMs: number | undefined): number {
  return ttlMs !== undefined && ttlMs > 0 ? now + ttlMs : 0;
}

export function isLive(entry: KvEntry, now: number): boolean {
  return entry.expiresAt === 0 || entry.expiresAt > now;
}

/**
 * `key` with the same text, not cut from anything larger. V8 keeps a string cut from a longer
 * one (a message id or a user id read out of a decrypted callback) as a view of the whole: kept
 * as a key for ten minutes, it kept its whole message alive with it (650 bytes per seen message
 * id, 165 once detached). Appending then cutting makes V8 copy the text out first.
 */
function detached(key: string): string {
  return `${key} `.slice(0, -1);
}

export class MemoryKv implements Kv {
  protected readonly map = new Map<string, KvEntry>();
  private writesSinceSweep = 0;

  constructor(readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    return this.getEntry(key)?.json;
  }

  getEntry(key: string): KvEntry | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (isLive(entry, this.now())) return entry;
    this.map.delete(key);
    return undefined;
  }

  set(key: string, json: string, expiresAt: number, durability: Durability): Promise<void> {
    const entry = { json, expiresAt };
    this.map.set(detached(key), entry);
    // Sweeping when the writes since the last sweep reach the map's size keeps it amortized O(1)
    // while entries nobody reads again (abandoned sessions, old message ids) still go.
    if (++this.writesSinceSweep >= Math.max(1024, this.map.size)) this.sweep();
    return this.persist(key, entry, durability);
  }

  delete(key: string, durability: Durability): Promise<void> {
    if (!this.map.delete(key)) return Promise.resolve();
    return this.persist(key, undefined, durability);
  }

  *entries(): Generator<[string, KvEntry]> {
    const now = this.now();
    for (const pair of this.map) if (isLive(pair[1], now)) yield pair;
  }

  get size(): number {
    return this.map.size;
  }

  protected sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [key, entry] of this.map) if (!isLive(entry, now)) this.map.delete(key);
  }

  /** Where a backend with a log records the change (`entry` undefined: deleted). */
  protected persist(_key: string, _entry: KvEntry | undefined, _durability: Durability): Promise<void> {
    return Promise.resolve();
  }
}
