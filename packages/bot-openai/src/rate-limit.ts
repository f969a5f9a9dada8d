/**
 * A token bucket refilled continuously at `perMinute()` tokens a minute, holding at most one
 * minute's worth (as chatgpt-on-wechat's TokenBucket). The limit is read on every call, so a
 * config reload applies at once; 0 means no limit.
 */
export class RateLimiter {
  private tokens: number | undefined;
  private last = 0;

  constructor(
    private readonly perMinute: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; false when the bucket is empty. */
  tryTake(): boolean {
    const rate = this.perMinute();
    if (rate <= 0) return true;
    const now = this.now();
    this.tokens = Math.min(rate, (this.tokens ?? rate) + ((now - this.last) * rate) / 60_000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Seconds until the next token, for telling the user how long to wait. */
  secondsUntilNext(): number {
    const rate = this.perMinute();
    if (rate <= 0 || (this.tokens ?? rate) >= 1) return 0;
    return Math.ceil(((1 - (this.tokens ?? 0)) * 60) / rate);
  }
}
