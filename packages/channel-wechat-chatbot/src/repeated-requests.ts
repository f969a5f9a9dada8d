import { ExpiringMap } from '@wecom-bot/core';

/**
 * The platform may send a request again with the same RequestId when our answer did not reach
 * it in time. A repeat gets the answer of the first request (shared while it is still being
 * worked on) instead of asking the bot twice and handing the user the answer twice. Bounded:
 * entries expire after `ttlMs`, and the oldest go first beyond `maxEntries`.
 */
export interface RepeatedRequestsOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export class RepeatedRequests {
  private readonly answers: ExpiringMap<Promise<string>>;

  constructor(options: RepeatedRequestsOptions = {}) {
    this.answers = new ExpiringMap({ ttlMs: options.ttlMs ?? 10 * 60_000, maxEntries: options.maxEntries ?? 10_000, now: options.now });
  }

  /** True when `key` was seen (and not yet forgotten). */
  has(key: string): boolean {
    return this.answers.has(key);
  }

  /** The answer of the first request with this key; `produce` runs only for the first. No key: always runs. */
  answer(key: string | undefined, produce: () => Promise<string>): Promise<string> {
    if (key === undefined) return produce();
    const known = this.answers.get(key);
    if (known) return known;
    const text = produce();
    this.answers.set(key, text);
    // A request that failed is not an answer to repeat: a retry may try again.
    void text.catch(() => this.answers.delete(key));
    return text;
  }

  get size(): number {
    return this.answers.size;
  }
}
