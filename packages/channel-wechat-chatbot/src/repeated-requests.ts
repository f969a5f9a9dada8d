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
  private readonly answers = new Map<string, { text: Promise<string>; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: RepeatedRequestsOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** True when `key` was seen (and not yet forgotten). */
  has(key: string): boolean {
    this.sweep();
    return this.answers.has(key);
  }

  /** The answer of the first request with this key; `produce` runs only for the first. No key: always runs. */
  answer(key: string | undefined, produce: () => Promise<string>): Promise<string> {
    if (key === undefined) return produce();
    this.sweep();
    const known = this.answers.get(key);
    if (known) return known.text;
    const text = produce();
    this.answers.set(key, { text, expiresAt: this.now() + this.ttlMs });
    // A request that failed is not an answer to repeat: a retry may try again.
    void text.catch(() => this.answers.delete(key));
    for (const oldest of this.answers.keys()) {
      if (this.answers.size <= this.maxEntries) break;
      this.answers.delete(oldest);
    }
    return text;
  }

  get size(): number {
    return this.answers.size;
  }

  /** Map order is insertion order and every entry lives as long: stop at the first live one. */
  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.answers) {
      if (entry.expiresAt > now) return;
      this.answers.delete(key);
    }
  }
}
