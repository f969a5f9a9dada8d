export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  /** Refresh this long before expiry (capped at half the token's life). Default 5 min. */
  marginMs?: number;
  now?: () => number;
}

/**
 * Caches the access token, refreshing it ahead of expiry. Concurrent callers share one
 * fetch, and a forced refresh after a token error replaces a given token only once.
 */
export class TokenCache {
  private current: { token: string; refreshAt: number; expiresAt: number } | undefined;
  private inflight: Promise<string> | undefined;
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    options: TokenCacheOptions = {},
  ) {
    this.marginMs = options.marginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async get(): Promise<string> {
    const current = this.current;
    if (current && this.now() < current.refreshAt) return current.token;
    try {
      return await this.fetchOnce();
    } catch (error) {
      // An early refresh that fails must not stop sends while the token still works.
      if (current && this.current === current && this.now() < current.expiresAt) return current.token;
      throw error;
    }
  }

  /**
   * Called when WeCom refused `stale`: fetches a new token unless another caller already
   * replaced it, so a burst of refusals costs one gettoken.
   */
  async refresh(stale: string): Promise<string> {
    if (this.current && this.current.token !== stale) return this.current.token;
    this.current = undefined;
    return this.fetchOnce();
  }

  private fetchOnce(): Promise<string> {
    this.inflight ??= this.issue()
      .then(({ token, expiresInSeconds }) => {
        const lifeMs = Math.max(0, expiresInSeconds * 1000);
        const now = this.now();
        this.current = { token, refreshAt: now + lifeMs - Math.min(this.marginMs, lifeMs / 2), expiresAt: now + lifeMs };
        return token;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }
}
