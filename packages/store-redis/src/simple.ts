import { randomUUID } from 'node:crypto';
import type { LeaseStore, Remembered, SeenStore, SessionStore, SettingsStore, StreamStateStore } from '@wecom-bot/core';
import type { Redis } from 'ioredis';
import { LEASE_ACQUIRE, LEASE_RELEASE, LEASE_RENEW, REMEMBER } from './lua.js';
import { fromJson, toJson } from './json.js';

export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    return fromJson<T>(await this.redis.get(this.prefix + key));
  }

  async set<T>(key: string, value: T, ttlSeconds = 0): Promise<void> {
    if (value === undefined) return this.delete(key);
    if (ttlSeconds > 0) await this.redis.set(this.prefix + key, toJson(value), 'PX', Math.round(ttlSeconds * 1000));
    else await this.redis.set(this.prefix + key, toJson(value));
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/** Either a marker with this call's token (so a resent SET NX still knows it was first) or an answer. */
interface SeenRecord {
  t?: string;
  a?: unknown;
}

export class RedisSeenStore implements SeenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async remember<T = unknown>(key: string, ttlMs: number): Promise<Remembered<T>> {
    const token = randomUUID();
    const found = await REMEMBER.run(this.redis, [this.prefix + key], [toJson({ t: token }), Math.max(1, Math.round(ttlMs))]);
    if (found === null) return { first: true };
    const record = fromJson<SeenRecord>(typeof found === 'string' ? found : null) ?? {};
    // Our own marker: the connection dropped after Redis set it, and ioredis sent the call again.
    if (record.t === token) return { first: true };
    return { first: false, answer: record.a as T | undefined };
  }

  async setAnswer(key: string, answer: unknown, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, toJson({ a: answer }), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async forget(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

export class RedisSettingsStore implements SettingsStore {
  /** One hash: `all()` is a single HGETALL, and a backup is one key. */
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return fromJson<T>(await this.redis.hget(this.key, key));
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.redis.hset(this.key, key, toJson(value));
  }

  async delete(key: string): Promise<void> {
    await this.redis.hdel(this.key, key);
  }

  async all(): Promise<Record<string, unknown>> {
    const all: Record<string, unknown> = {};
    for (const [key, json] of Object.entries(await this.redis.hgetall(this.key))) all[key] = JSON.parse(json);
    return all;
  }
}

export class RedisStreamStateStore implements StreamStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get<T = unknown>(id: string): Promise<T | undefined> {
    return fromJson<T>(await this.redis.get(this.prefix + id));
  }

  async set(id: string, value: unknown, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + id, toJson(value), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.prefix + id);
  }
}

export class RedisLeaseStore implements LeaseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await LEASE_ACQUIRE.run(this.redis, [this.prefix + name], [holder, Math.max(1, Math.round(ttlMs))])) === 1;
  }

  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return (await LEASE_RENEW.run(this.redis, [this.prefix + name], [holder, Math.max(1, Math.round(ttlMs))])) === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await LEASE_RELEASE.run(this.redis, [this.prefix + name], [holder]);
  }

  async holder(name: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + name)) ?? undefined;
  }
}
