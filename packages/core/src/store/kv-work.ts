/**
 * The stores of work in progress over a Kv: pending answers, the outbox, pacing counters.
 * Like kv-stores.ts, each decision is one synchronous step, then the write is awaited.
 */
import type { OutboxAddOptions, OutboxEntry, OutboxStore, Pace, PacingStore, PendingAddOptions, PendingStore, UnfinishedOptions } from './contracts.js';
import { fromJson, toJson } from './json.js';
import { expiryAt, type Durability, type Kv } from './kv.js';

interface PendingItem {
  v: unknown;
  e: number;
}

export class KvPendingStore implements PendingStore {
  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {}

  async add(user: string, answer: unknown, options: PendingAddOptions): Promise<number> {
    const now = this.kv.now();
    const items = this.live(user, now);
    items.push({ v: answer, e: now + options.ttlMs });
    const dropped = Math.max(0, items.length - Math.max(1, options.max));
    items.splice(0, dropped);
    await this.save(user, items);
    return dropped;
  }

  async take<T = unknown>(user: string, max = Number.POSITIVE_INFINITY): Promise<T[]> {
    const items = this.live(user, this.kv.now());
    const taken = items.splice(0, max);
    if (taken.length > 0) await this.save(user, items);
    return taken.map((item) => item.v as T);
  }

  async count(user: string): Promise<number> {
    return this.live(user, this.kv.now()).length;
  }

  private live(user: string, now: number): PendingItem[] {
    return (fromJson<PendingItem[]>(this.kv.get(user)) ?? []).filter((item) => item.e > now);
  }

  private save(user: string, items: PendingItem[]): Promise<void> {
    if (items.length === 0) return this.kv.delete(user, this.durability);
    // The user's record lives as long as its longest-lived answer.
    return this.kv.set(user, toJson(items), Math.max(...items.map((item) => item.e)), this.durability);
  }
}

export class KvOutboxStore implements OutboxStore {
  /**
   * Updates and removals are not waited on: lost in a power cut, a record is only resumed
   * from an earlier step, so a reply may repeat but none is lost. A record added, or claimed
   * from a dead process, is waited on (the ack waits for it: only it makes a message resumable).
   */
  private readonly later: Durability;

  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {
    this.later = durability === 'synced' ? 'soon' : durability;
  }

  async add(entry: { id: string; kind: string; payload: unknown; owner: string }, options: OutboxAddOptions): Promise<boolean> {
    if (this.kv.get(entry.id) !== undefined) return false;
    const now = this.kv.now();
    const record: OutboxEntry = { id: entry.id, kind: entry.kind, payload: entry.payload, owner: entry.owner, createdAt: now, claimedUntil: now + options.claimMs, attempts: 1 };
    await this.kv.set(entry.id, toJson(record), expiryAt(now, options.ttlMs), this.durability);
    return true;
  }

  async get<T = unknown>(id: string): Promise<OutboxEntry<T> | undefined> {
    return fromJson<OutboxEntry<T>>(this.kv.get(id));
  }

  async claim<T = unknown>(id: string, owner: string, claimMs: number): Promise<OutboxEntry<T> | undefined> {
    const found = this.entry<T>(id);
    if (!found) return undefined;
    const { record, expiresAt } = found;
    const now = this.kv.now();
    if (record.owner !== owner && record.claimedUntil > now) return undefined;
    const claimed: OutboxEntry<T> = { ...record, owner, claimedUntil: now + claimMs, attempts: record.attempts + 1 };
    await this.kv.set(id, toJson(claimed), expiresAt, this.durability);
    return claimed;
  }

  async update(id: string, owner: string, payload: unknown): Promise<boolean> {
    const found = this.entry(id);
    if (!found || found.record.owner !== owner) return false;
    await this.kv.set(id, toJson({ ...found.record, payload }), found.expiresAt, this.later);
    return true;
  }

  async done(id: string): Promise<void> {
    await this.kv.delete(id, this.later);
  }

  async unfinished<T = unknown>(options: UnfinishedOptions): Promise<OutboxEntry<T>[]> {
    const before = this.kv.now() - options.olderThanMs;
    const found: OutboxEntry<T>[] = [];
    for (const [id, entry] of this.kv.entries()) {
      if (options.skip?.(id)) continue;
      const record = JSON.parse(entry.json) as OutboxEntry<T>;
      if (record.createdAt <= before) found.push(record);
    }
    found.sort((a, b) => a.createdAt - b.createdAt);
    return found.slice(0, options.limit ?? found.length);
  }

  private entry<T>(id: string): { record: OutboxEntry<T>; expiresAt: number } | undefined {
    const entry = this.kv.getEntry(id);
    // Claims and updates keep the entry's original expiry (the ttlMs safety net of add).
    return entry && { record: JSON.parse(entry.json) as OutboxEntry<T>, expiresAt: entry.expiresAt };
  }
}

export class KvPacingStore implements PacingStore {
  constructor(
    private readonly kv: Kv,
    private readonly durability: Durability = 'written',
  ) {}

  async take(key: string, limit: number, windowMs: number): Promise<Pace> {
    const now = this.kv.now();
    // A sliding log: the times of the sends counted in the last window (at most `limit`).
    const times = (fromJson<number[]>(this.kv.get(key)) ?? []).filter((t) => t > now - windowMs);
    if (times.length >= limit) {
      const oldest = times.length > 0 ? Math.min(...times) : now;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + windowMs - now) };
    }
    times.push(now);
    await this.kv.set(key, toJson(times), now + windowMs, this.durability);
    return { allowed: true, remaining: limit - times.length };
  }
}
