import { randomUUID } from 'node:crypto';
import type { Stores } from '@wecom-bot/core';
import { runStoreConformance } from '@wecom-bot/core/testing/conformance';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisStores } from './index.js';

// The project's Redis (CI starts one where none answers). Each test gets its own prefix.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `wecom-bot-test:${randomUUID()}:`;
const prefixes = new Map<Stores, string>();

afterAll(async () => {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const keys = await redis.keys(`${run}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

runStoreConformance(
  'redis',
  async () => {
    const prefix = `${run}${randomUUID()}:`;
    const stores = await createRedisStores({ url, prefix });
    prefixes.set(stores, prefix);
    return stores;
  },
  // A second client on the same prefix plays the second instance in every race.
  { realClock: true, sibling: (stores) => createRedisStores({ url, prefix: prefixes.get(stores) ?? run }) },
);

describe('redis_url', () => {
  it('may name the key prefix (?prefix=), so several bots share one Redis', async ({ onTestFinished }) => {
    const prefix = `${run}${randomUUID()}:`;
    const stores = await createRedisStores({ url: `${url}?prefix=${encodeURIComponent(prefix)}` });
    onTestFinished(() => stores.close());
    expect(stores.description).toContain(prefix);
    expect(stores.description).not.toContain('?prefix');
    await stores.settings.set('config:model', 'gpt-4o');
    const redis = new Redis(url);
    onTestFinished(async () => void (await redis.quit()));
    expect(await redis.keys(`${prefix}*`)).toEqual([`${prefix}settings`]);
  });
});
