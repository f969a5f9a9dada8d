import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run by its SHA (EVALSHA), loaded with EVAL when Redis does not know it yet
 * (first use, or after a restart emptied its script cache). A script runs atomically:
 * that is what makes remember, claim, pacing and leases exact across instances.
 */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

/** Redis's own clock in ms, so instances with skewed clocks agree on every expiry. */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const ms = (expr: string) => `string.format('%.0f', ${expr})`;

/** Nil when this call set the key (first), else the value there (maybe our own token, on a resend). */
export const REMEMBER = new LuaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`);

// Pending answers: a list of "<expiresAt>|<id>|<json>", so Lua never re-encodes the JSON.
const LIVE_ITEMS = `${NOW}
local live = {}
local maxe = 0
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local e = tonumber(string.match(item, '^(%d+)|'))
  if e and e > now then table.insert(live, item) end
end`;
const SAVE_ITEMS = `
redis.call('DEL', KEYS[1])
if #keep > 0 then
  for _, item in ipairs(keep) do maxe = math.max(maxe, tonumber(string.match(item, '^(%d+)|'))) end
  redis.call('RPUSH', KEYS[1], unpack(keep))
  redis.call('PEXPIREAT', KEYS[1], ${ms('maxe')})
end`;

/** ARGV: id, json, ttlMs, max. Returns how many were dropped for room (0 on a resend). */
export const PENDING_ADD = new LuaScript(`${LIVE_ITEMS}
for _, item in ipairs(live) do
  if string.match(item, '^%d+|([^|]*)|') == ARGV[1] then return 0 end
end
local keep = live
table.insert(keep, ${ms('now + tonumber(ARGV[3])')} .. '|' .. ARGV[1] .. '|' .. ARGV[2])
local dropped = 0
while #keep > tonumber(ARGV[4]) do table.remove(keep, 1); dropped = dropped + 1 end
${SAVE_ITEMS}
return dropped`);

/** KEYS: list, receipt. ARGV: max (-1: all). The receipt makes a resent take return the same items. */
export const PENDING_TAKE = new LuaScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return redis.call('LRANGE', KEYS[2], 0, -1) end
${LIVE_ITEMS}
local n = tonumber(ARGV[1])
if n < 0 or n > #live then n = #live end
local taken, keep = {}, {}
for i, item in ipairs(live) do
  if i <= n then table.insert(taken, item) else table.insert(keep, item) end
end
${SAVE_ITEMS}
if #taken > 0 then
  redis.call('RPUSH', KEYS[2], unpack(taken))
  redis.call('PEXPIRE', KEYS[2], 60000)
end
return taken`);

export const PENDING_COUNT = new LuaScript(`${LIVE_ITEMS}
return #live`);

/** KEYS: entry hash, index. ARGV: id, kind, owner, payload json, claimMs, ttlMs (0: none). */
export const OUTBOX_ADD = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
${NOW}
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'kind', ARGV[2], 'owner', ARGV[3], 'payload', ARGV[4],
  'createdAt', ${ms('now')}, 'claimedUntil', ${ms('now + tonumber(ARGV[5])')}, 'attempts', 1)
if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[6]) end
redis.call('ZADD', KEYS[2], ${ms('now')}, ARGV[1])
return 1`);

/** KEYS: entry hash. ARGV: owner, claimMs. The entry's fields, or nil when done or held by another. */
export const OUTBOX_CLAIM = new LuaScript(`
local held = redis.call('HMGET', KEYS[1], 'owner', 'claimedUntil')
if not held[1] then return false end
${NOW}
if held[1] ~= ARGV[1] and tonumber(held[2]) > now then return false end
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'claimedUntil', ${ms('now + tonumber(ARGV[2])')})
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return redis.call('HGETALL', KEYS[1])`);

/** KEYS: entry hash. ARGV: owner, payload json. */
export const OUTBOX_UPDATE = new LuaScript(`
if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'payload', ARGV[2])
return 1`);

/**
 * KEYS: index. ARGV: olderThanMs. The ids of the entries added at least that long ago, oldest
 * first (none read: the caller picks which to read with OUTBOX_READ).
 */
export const OUTBOX_IDS = new LuaScript(`${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ${ms('now - tonumber(ARGV[1])')})`);

/**
 * KEYS: index. ARGV: the entries' key prefix, then ids. Their entries (as HGETALL lists);
 * entries that expired (their ttlMs) leave the index here. Reads keys by name: standalone
 * Redis, not Cluster.
 */
export const OUTBOX_READ = new LuaScript(`local found = {}
for i = 2, #ARGV do
  local id = ARGV[i]
  local entry = redis.call('HGETALL', ARGV[1] .. id)
  if #entry == 0 then redis.call('ZREM', KEYS[1], id) else table.insert(found, entry) end
end
return found`);

/** ARGV: limit, windowMs, member (unique per call, so a resent take is counted once). */
export const PACING_TAKE = new LuaScript(`${NOW}
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ${ms('now - window')})
local n = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return {1, limit - n} end
if n >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
  local wait = oldest and tonumber(oldest) + window - now or window
  return {0, math.max(1, wait)}
end
redis.call('ZADD', KEYS[1], ${ms('now')}, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, limit - n - 1}`);

/** ARGV: holder, ttlMs. 1 when the holder has the lease now. */
export const LEASE_ACQUIRE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return 1 end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`);

export const LEASE_RENEW = new LuaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);

export const LEASE_RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`);
