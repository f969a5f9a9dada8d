import { randomUUID } from 'node:crypto';
import type { OutboxAddOptions, OutboxEntry, OutboxStore, Pace, PacingStore, PendingAddOptions, PendingStore, UnfinishedOptions } from '@wecom-bot/core';
import type { Redis } from 'ioredis';
import { toJson } from './json.js';
import { OUTBOX_ADD, OUTBOX_CLAIM, OUTBOX_IDS, OUTBOX_READ, OUTBOX_UPDATE, PACING_TAKE, PENDING_ADD, PENDING_COUNT, PENDING_TAKE } from './lua.js';

const ttl = (ms: number) => Math.max(1, Math.round(ms));

export class RedisPendingStore implements PendingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async add(user: string, answer: unknown, options: PendingAddOptions): Promise<number> {
    const args = [randomUUID(), toJson(answer), ttl(options.ttlMs), Math.max(1, options.max)];
    return Number(await PENDING_ADD.run(this.redis, [this.key(user)], args));
  }

  async take<T = unknown>(user: string, max = -1): Promise<T[]> {
    // The receipt key lets a take resent after a dropped connection return what it took.
    const receipt = `${this.prefix}taken:${randomUUID()}`;
    const items = await PENDING_TAKE.run(this.redis, [this.key(user), receipt], [Number.isFinite(max) ? max : -1]);
    return strings(items).map((item) => JSON.parse(item.slice(item.indexOf('|', item.indexOf('|') + 1) + 1)) as T);
  }

  async count(user: string): Promise<number> {
    return Number(await PENDING_COUNT.run(this.redis, [this.key(user)], []));
  }

  private key(user: string): string {
    return `${this.prefix}user:${user}`;
  }
}

export class RedisOutboxStore implements OutboxStore {
  /** Entries are hashes under `prefix` + id; `index` is a sorted set of ids by creation time. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly index: string,
  ) {}

  async add(entry: { id: string; kind: string; payload: unknown; owner: string }, options: OutboxAddOptions): Promise<boolean> {
    const args = [entry.id, entry.kind, entry.owner, toJson(entry.payload), Math.round(options.claimMs), Math.round(options.ttlMs ?? 0)];
    return (await OUTBOX_ADD.run(this.redis, [this.prefix + entry.id, this.index], args)) === 1;
  }

  async get<T = unknown>(id: string): Promise<OutboxEntry<T> | undefined> {
    return toEntry<T>(await this.redis.hgetall(this.prefix + id));
  }

  async claim<T = unknown>(id: string, owner: string, claimMs: number): Promise<OutboxEntry<T> | undefined> {
    const fields = await OUTBOX_CLAIM.run(this.redis, [this.prefix + id], [owner, Math.round(claimMs)]);
    return fields === null ? undefined : toEntry<T>(pairs(fields));
  }

  async update(id: string, owner: string, payload: unknown): Promise<boolean> {
    return (await OUTBOX_UPDATE.run(this.redis, [this.prefix + id], [owner, toJson(payload)])) === 1;
  }

  async done(id: string): Promise<void> {
    await this.redis.multi().del(this.prefix + id).zrem(this.index, id).exec();
  }

  /** The ids first, then only the entries `skip` leaves, so those it names neither cross the wire nor count toward `limit`. */
  async unfinished<T = unknown>(options: UnfinishedOptions): Promise<OutboxEntry<T>[]> {
    const { skip, limit } = options;
    const ids = strings(await OUTBOX_IDS.run(this.redis, [this.index], [Math.round(options.olderThanMs)]));
    const unskipped = skip ? ids.filter((id) => !skip(id)) : ids;
    const wanted = limit === undefined ? unskipped : unskipped.slice(0, limit);
    if (wanted.length === 0) return [];
    const found = await OUTBOX_READ.run(this.redis, [this.index], [this.prefix, ...wanted]);
    if (!Array.isArray(found)) return [];
    return found.flatMap((fields) => toEntry<T>(pairs(fields)) ?? []);
  }
}

export class RedisPacingStore implements PacingStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async take(key: string, limit: number, windowMs: number): Promise<Pace> {
    const result = await PACING_TAKE.run(this.redis, [this.prefix + key], [limit, ttl(windowMs), randomUUID()]);
    const [allowed, n] = Array.isArray(result) ? result.map(Number) : [];
    return allowed === 1 ? { allowed: true, remaining: n ?? 0 } : { allowed: false, retryAfterMs: n ?? windowMs };
  }
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** HGETALL inside Lua answers a flat [field, value, …] list. */
function pairs(value: unknown): Record<string, string> {
  const list = strings(value);
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < list.length; i += 2) record[list[i] ?? ''] = list[i + 1] ?? '';
  return record;
}

function toEntry<T>(fields: Record<string, string>): OutboxEntry<T> | undefined {
  if (fields.id === undefined || fields.payload === undefined) return undefined;
  return {
    id: fields.id,
    kind: fields.kind ?? '',
    payload: JSON.parse(fields.payload) as T,
    owner: fields.owner ?? '',
    createdAt: Number(fields.createdAt),
    claimedUntil: Number(fields.claimedUntil),
    attempts: Number(fields.attempts),
  };
}
