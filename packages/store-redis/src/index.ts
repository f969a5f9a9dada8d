/**
 * @wecom-bot/store-redis: every store of @wecom-bot/core on Redis, so several instances share
 * dedupe, history, settings, the outbox, pacing and the AI bot's lease.
 */
export { createRedisStores, type RedisStoresOptions } from './redis-stores.js';
