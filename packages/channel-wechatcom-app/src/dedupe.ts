import type { WecomInboundMessage } from './xml/parse-message.js';

export interface DedupeOptions {
  /** How long a key is remembered. WeCom's retries come within ~15 s; the default keeps 10 min. */
  ttlMs?: number;
  /** Upper bound on remembered keys; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Remembers recently seen message keys so WeCom's retries of one message reach the bot once.
 * Memory is bounded by `maxEntries`, and entries expire after `ttlMs`.
 */
export class MessageDeduper {
  private readonly seen = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: DedupeOptions = {}) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  /** True the first time a key is seen (within the TTL), false for a repeat. */
  firstSeen(key: string): boolean {
    const now = this.now();
    this.expire(now);
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    if (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Map order is insertion order, so expired keys sit at the front. */
  private expire(now: number): void {
    for (const [key, at] of this.seen) {
      if (now - at < this.ttlMs) break;
      this.seen.delete(key);
    }
  }
}

/** MsgId when there is one; events have none, so sender + CreateTime + event name. */
export function dedupeKey(msg: WecomInboundMessage): string {
  if (msg.msgId) return `id:${msg.msgId}`;
  return `ev:${msg.fromUserName}:${msg.createTime}:${msg.event ?? msg.msgType}`;
}
