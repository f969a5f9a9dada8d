import { ExpiringMap } from '@wecom-bot/core';
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
  private readonly seen: ExpiringMap<true>;

  constructor(options: DedupeOptions = {}) {
    this.seen = new ExpiringMap({ ttlMs: options.ttlMs ?? 10 * 60_000, maxEntries: options.maxEntries ?? 50_000, now: options.now });
  }

  /** True the first time a key is seen (within the TTL), false for a repeat. */
  firstSeen(key: string): boolean {
    if (this.seen.get(key)) return false;
    this.seen.set(key, true);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/**
 * MsgId when there is one; events have none, so sender + CreateTime + event name + EventKey
 * (two menu clicks within one second differ only in EventKey; a retry repeats all four).
 */
export function dedupeKey(msg: WecomInboundMessage): string {
  if (msg.msgId) return `id:${msg.msgId}`;
  const eventKey = typeof msg.fields.EventKey === 'string' ? msg.fields.EventKey : '';
  return `ev:${msg.fromUserName}:${msg.createTime}:${msg.event ?? msg.msgType}:${eventKey}`;
}
