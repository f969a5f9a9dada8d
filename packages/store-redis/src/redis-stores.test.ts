import { randomUUID } from 'node:crypto';
import type { Stores } from '@wecom-bot/core';
import { runStoreConformance } from '@wecom-bot/core/testing';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
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
