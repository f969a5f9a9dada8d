import type { Stores } from '@wecom-bot/core';
import { Redis } from 'ioredis';
import { RedisLeaseStore, RedisSeenStore, RedisSessionStore, RedisSettingsStore, RedisStreamStateStore } from './simple.js';
import { RedisOutboxStore, RedisPacingStore, RedisPendingStore } from './work.js';

export interface RedisStoresOptions {
  /**
   * redis://[:password@]host:port[/db][?prefix=name:]; default redis://127.0.0.1:6379. The
   * `prefix` parameter (when `prefix` below is not given) lets redis_url alone say it.
   */
  url?: string;
  /** Put before every key, so several bots (or tests) share one Redis; default "wecom-bot:". */
  prefix?: string;
  /** How long to wait for Redis to answer at start before failing; default 5000 ms. */
  connectTimeoutMs?: number;
  /** A command without an answer after this long fails (a dead link must not hang a message); default 5000 ms. */
  commandTimeoutMs?: number;
  /** Connection errors while running (Redis restarting): the client reconnects on its own. */
  onError?: (error: Error) => void;
}

/**
 * Connects and checks that Redis answers; rejects with what to do when it does not.
 * While running, a lost connection is re-made with a short backoff; a command waits for
 * at most two reconnection attempts, then fails (bounded errors, never a hang), and
 * commands cut off mid-flight are sent again: every script is safe to run twice.
 */
export async function createRedisStores(options: RedisStoresOptions = {}): Promise<Stores> {
  const { url, prefix: urlPrefix } = splitPrefix(options.url ?? 'redis://127.0.0.1:6379');
  const prefix = options.prefix ?? urlPrefix ?? 'wecom-bot:';
  const where = redactUrl(url);
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    commandTimeout: options.commandTimeoutMs ?? 5000,
    maxRetriesPerRequest: 2,
    // Reconnect soon, backing off to once a second, so a restarted Redis is found within a second.
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 1000),
  });
  let starting = true;
  // Without a listener ioredis prints every reconnection error; the caller logs them instead.
  redis.on('error', (error: Error) => {
    if (!starting) options.onError?.(error);
  });
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), options.connectTimeoutMs ?? 5000);
  } catch (error) {
    redis.disconnect();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`Redis at ${where} did not answer (${why}). Start Redis there, or set redis_url to where it runs.`);
  }
  starting = false;
  const p = (name: string) => `${prefix}${name}:`;
  return {
    description: `redis ${where} ${prefix}`,
    sessions: new RedisSessionStore(redis, p('sessions')),
    seen: new RedisSeenStore(redis, p('seen')),
    pending: new RedisPendingStore(redis, p('pending')),
    settings: new RedisSettingsStore(redis, `${prefix}settings`),
    streams: new RedisStreamStateStore(redis, p('streams')),
    outbox: new RedisOutboxStore(redis, p('outbox'), `${prefix}outbox-index`),
    pacing: new RedisPacingStore(redis, p('pacing')),
    leases: new RedisLeaseStore(redis, p('lease')),
    close: async () => {
      try {
        await redis.quit();
      } catch {
        redis.disconnect();
      }
    },
  };
}

/** The URL without its `prefix` parameter, and that parameter (several bots on one Redis). */
function splitPrefix(url: string): { url: string; prefix?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url }; // ioredis says what is wrong with it
  }
  const prefix = parsed.searchParams.get('prefix');
  if (prefix === null) return { url };
  parsed.searchParams.delete('prefix');
  return { url: parsed.toString(), prefix };
}

/** The URL without its password, for logs and errors. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the configured redis_url';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
