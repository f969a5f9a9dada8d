/**
 * The simple stores over a Kv (memory or disk). Each operation decides in one synchronous
 * step (JavaScript runs one at a time, so concurrent callers in the process cannot interleave),
 * then waits for durability.
 */
import type { LeaseStore, Remembered, SeenStore, SessionStore, SettingsStore, StreamStateStore } from './contracts.js';
import { fromJson, toJson } from './json.js';
import { expiryAt, type Durability, type Kv } from './kv.js';

export class KvSessionStore implements SessionStore {
  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    return fromJson<T>(this.kv.get(key));
  }

  async set<T>(key: string, value: T, ttlSeconds = 0): Promise<void> {
    if (value === undefined) return this.delete(key);
    await this.kv.set(key, toJson(value), expiryAt(this.kv.now(), ttlSeconds * 1000), this.durability);
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key, this.durability);
  }
}

interface SeenRecord {
  a?: unknown;
}

export class KvSeenStore implements SeenStore {
  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {}

  async remember<T = unknown>(key: string, ttlMs: number): Promise<Remembered<T>> {
    const known = fromJson<SeenRecord>(this.kv.get(key));
    if (known) return { first: false, answer: known.a as T | undefined };
    await this.kv.set(key, '{}', expiryAt(this.kv.now(), ttlMs), this.durability);
    return { first: true };
  }

  async setAnswer(key: string, answer: unknown, ttlMs: number): Promise<void> {
    await this.kv.set(key, toJson({ a: answer }), expiryAt(this.kv.now(), ttlMs), this.durability);
  }

  async forget(key: string): Promise<void> {
    await this.kv.delete(key, this.durability);
  }
}

export class KvSettingsStore implements SettingsStore {
  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return fromJson<T>(this.kv.get(key));
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.kv.set(key, toJson(value), 0, this.durability);
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key, this.durability);
  }

  async all(): Promise<Record<string, unknown>> {
    const all: Record<string, unknown> = {};
    for (const [key, entry] of this.kv.entries()) all[key] = JSON.parse(entry.json);
    return all;
  }
}

export class KvStreamStateStore implements StreamStateStore {
  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {}

  async get<T = unknown>(id: string): Promise<T | undefined> {
    return fromJson<T>(this.kv.get(id));
  }

  async set(id: string, value: unknown, ttlMs: number): Promise<void> {
    await this.kv.set(id, toJson(value), expiryAt(this.kv.now(), ttlMs), this.durability);
  }

  async delete(id: string): Promise<void> {
    await this.kv.delete(id, this.durability);
  }
}

/** Leases in one process: the disk backend's directory lock already rules out a second one. */
export class KvLeaseStore implements LeaseStore {
  constructor(private readonly kv: Kv) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const current = fromJson<string>(this.kv.get(name));
    if (current !== undefined && current !== holder) return false;
    await this.kv.set(name, toJson(holder), expiryAt(this.kv.now(), ttlMs), 'written');
    return true;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    if (fromJson<string>(this.kv.get(name)) !== holder) return false;
    await this.kv.set(name, toJson(holder), expiryAt(this.kv.now(), ttlMs), 'written');
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (fromJson<string>(this.kv.get(name)) === holder) await this.kv.delete(name, 'written');
  }

  async holder(name: string): Promise<string | undefined> {
    return fromJson<string>(this.kv.get(name));
  }
}
