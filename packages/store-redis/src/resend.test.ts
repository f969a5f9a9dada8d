import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACING_TAKE, PENDING_ADD, PENDING_TAKE, REMEMBER } from './lua.js';

/**
 * ioredis sends a command again when the connection dropped before its answer came: each
 * script must then have the effect of one call. Here the resend is played by running the
 * same script with the same arguments twice.
 */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `wecom-bot-test:resend:${randomUUID()}:`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 3000 });
  await redis.connect();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe('Redis scripts sent twice act once', () => {
  it('remember: the resend finds its own marker, so the caller still learns it was first', async () => {
    const marker = JSON.stringify({ t: randomUUID() });
    expect(await REMEMBER.run(redis, [`${prefix}seen`], [marker, 60_000])).toBeNull();
    expect(await REMEMBER.run(redis, [`${prefix}seen`], [marker, 60_000])).toBe(marker);
  });

  it('pending add keeps one copy, and a resent take returns the same answers without taking more', async () => {
    const list = `${prefix}pending`;
    const id = randomUUID();
    await PENDING_ADD.run(redis, [list], [id, '"once"', 60_000, 10]);
    await PENDING_ADD.run(redis, [list], [id, '"once"', 60_000, 10]);
    await PENDING_ADD.run(redis, [list], [randomUUID(), '"second"', 60_000, 10]);
    const receipt = `${prefix}receipt`;
    const first = await PENDING_TAKE.run(redis, [list, receipt], [1]);
    expect(first).toHaveLength(1);
    expect(await PENDING_TAKE.run(redis, [list, receipt], [1])).toEqual(first);
    expect(String((await redis.lrange(list, 0, -1))[0])).toMatch(/\|"second"$/);
  });

  it('pacing counts a resent take once', async () => {
    const member = randomUUID();
    expect(await PACING_TAKE.run(redis, [`${prefix}pace`], [2, 60_000, member])).toEqual([1, 1]);
    expect(await PACING_TAKE.run(redis, [`${prefix}pace`], [2, 60_000, member])).toEqual([1, 1]);
    expect(await PACING_TAKE.run(redis, [`${prefix}pace`], [2, 60_000, randomUUID()])).toEqual([1, 0]);
  });
});
