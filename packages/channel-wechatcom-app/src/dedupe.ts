import { ExpiringMap } from '@wecom-bot/core';
import type { WecomInboundMessage } from './xml/parse-message.js';

export interface DedupeOptions {
  /** How long a message is remembered. WeCom's retries come within ~15 s; the default keeps 10 min. */
  ttlMs?: number;
  /** Upper bound on remembered messages; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/** A message received before: the passive answer it got, if any. */
export interface ReceivedMessage {
  /**
   * The callback answer given (or still being prepared) for it: the plaintext XML of a
   * passive reply, or undefined. Absent when the message was only acknowledged.
   */
  readonly answer?: Promise<string | undefined>;
}

/**
 * The messages received recently, by dedupe key, with the passive answer each one got.
 * WeCom retries a message when our answer did not reach it: the retry must not reach the
 * bot again, and it must get the same answer, or a passive reply given to the first attempt
 * is lost. Memory is bounded by `maxEntries`, and entries expire after `ttlMs`.
 */
export class ReceivedMessages {
  private readonly messages: ExpiringMap<ReceivedMessage>;

  constructor(options: DedupeOptions = {}) {
    this.messages = new ExpiringMap({ ttlMs: options.ttlMs ?? 10 * 60_000, maxEntries: options.maxEntries ?? 50_000, now: options.now });
  }

  /** The message as received before (within the TTL), or undefined the first time. */
  get(key: string): ReceivedMessage | undefined {
    return this.messages.get(key);
  }

  /** Records a message as received, with the answer it is given (none: acknowledged only). */
  add(key: string, answer?: Promise<string | undefined>): void {
    this.messages.set(key, answer ? { answer } : {});
  }

  get size(): number {
    return this.messages.size;
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
