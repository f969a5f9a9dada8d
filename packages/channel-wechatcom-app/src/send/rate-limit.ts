import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStores, KeyedSerialQueue, type PacingStore } from '@wecom-bot/core';

/** One sliding window: at most `limit` sends per `windowMs`. */
export interface RateWindow {
  limit: number;
  windowMs: number;
}

/** WeCom: per app and member, 30 messages a minute and 1000 an hour; the excess is dropped silently. */
export const WECOM_MEMBER_WINDOWS: readonly RateWindow[] = [
  { limit: 30, windowMs: 60_000 },
  { limit: 1000, windowMs: 3_600_000 },
];

export interface PacerOptions {
  windows?: readonly RateWindow[];
  /**
   * Where sends are counted. Shared by every instance (store "redis"), it keeps their sends
   * together within the windows; default: this process's memory.
   */
  store?: PacingStore;
  /** Put before the member in the store's keys: whose limits these are (the app's). */
  keyPrefix?: string;
  /** The clock of the default in-memory counters (tests move it). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The store failed (Redis down): this send was paced by this process alone. */
  onStoreError?: (error: unknown) => void;
}

/**
 * Paces sends per member: tasks of one member run one at a time, in order (per process),
 * each waiting until every window has room in the pacing store, which every instance
 * shares. Nothing is dropped: a flood queues. The store forgets members idle for a window.
 */
export class MemberPacer {
  private readonly windows: readonly RateWindow[];
  private readonly store: PacingStore;
  /** Counts sends when the shared store cannot: better paced alone than not sent. */
  private readonly local: PacingStore;
  private readonly keyPrefix: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onStoreError: (error: unknown) => void;
  private readonly queue = new KeyedSerialQueue();

  constructor(options: PacerOptions = {}) {
    // Shortest window first: a send refused by a longer window has then taken a slot of the
    // shorter ones for nothing, which only makes the pacing stricter, and happens only when
    // a member got a thousand messages within the hour.
    this.windows = [...(options.windows ?? WECOM_MEMBER_WINDOWS)].sort((a, b) => a.windowMs - b.windowMs);
    this.local = createMemoryStores({ now: options.now }).pacing;
    this.store = options.store ?? this.local;
    this.keyPrefix = options.keyPrefix ?? '';
    this.sleep = options.sleep ?? sleep;
    this.onStoreError = options.onStoreError ?? (() => {});
  }

  /** Runs `task` for `member` once the member's queue and rate windows allow it. */
  run<T>(member: string, task: () => Promise<T>): Promise<T> {
    return this.queue.run(member, async () => {
      await this.waitForSlot(member);
      return task();
    });
  }

  /**
   * Sends the parts of one reply in order, each within the rate windows, with nothing else to
   * `member` from this process in between. A failed part stops the rest (sending them would leave a gap).
   */
  runAll<I>(member: string, parts: readonly I[], send: (part: I) => Promise<unknown>): Promise<void> {
    return this.queue.run(member, async () => {
      for (const part of parts) {
        await this.waitForSlot(member);
        await send(part);
      }
    });
  }

  /** Counts a send to `member` once every window has room, sleeping as long as the store says. */
  private async waitForSlot(member: string): Promise<void> {
    for (let wait = await this.take(member); wait > 0; wait = await this.take(member)) await this.sleep(wait);
  }

  /** 0 when a send was counted in every window, else how long to wait before asking again. */
  private async take(member: string): Promise<number> {
    for (const { limit, windowMs } of this.windows) {
      const key = `${this.keyPrefix}${member}:${windowMs}`;
      const pace = await this.store.take(key, limit, windowMs).catch((error: unknown) => {
        this.onStoreError(error);
        return this.local.take(key, limit, windowMs);
      });
      if (!pace.allowed) return pace.retryAfterMs;
    }
    return 0;
  }
}
