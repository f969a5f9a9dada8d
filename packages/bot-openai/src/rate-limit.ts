import { ExpiringMap } from '@wecom-bot/core';

interface Bucket {
  tokens: number;
  last: number;
}

/** A bucket left alone this long is full again, as if it had never been used: it can go. */
const REFILL_MS = 60_000;

/**
 * Token buckets, one per member, each refilled continuously at `perMinute()` tokens a minute
 * and holding at most one minute's worth (as chatgpt-on-wechat's TokenBucket). Per member,
 * not per bot as in chatgpt-on-wechat (one account, a few people): a company's staff share
 * the bot, and one person's burst must not silence the others. The limit is read on every
 * call, so a config reload applies at once; 0 means no limit.
 */
export class RateLimiter {
  private readonly buckets = new ExpiringMap<Bucket>({ ttlMs: REFILL_MS, maxEntries: 200_000 });

  constructor(
    private readonly perMinute: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one of `member`'s tokens; false when their bucket is empty. */
  tryTake(member: string): boolean {
    const rate = this.perMinute();
    if (rate <= 0) return true;
    const bucket = this.refilled(member, rate);
    this.buckets.set(member, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until `member`'s next token, for telling them how long to wait. */
  secondsUntilNext(member: string): number {
    const rate = this.perMinute();
    if (rate <= 0) return 0;
    const { tokens } = this.refilled(member, rate);
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 60) / rate);
  }

  private refilled(member: string, rate: number): Bucket {
    const now = this.now();
    const bucket = this.buckets.get(member);
    if (!bucket) return { tokens: rate, last: now };
    return { tokens: Math.min(rate, bucket.tokens + ((now - bucket.last) * rate) / 60_000), last: now };
  }
}
