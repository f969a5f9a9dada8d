/**
 * Test helpers of @wecom-bot/store-redis: a redis-server of the test's own (Debian's binary)
 * on a free port, to kill and restart under load without touching the shared Redis.
 */
export { freePort, killHard, startRedisServer } from './redis-server.js';
