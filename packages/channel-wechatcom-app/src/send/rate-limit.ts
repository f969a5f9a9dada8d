import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedSerialQueue } from '@wecom-bot/core';

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
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Paces sends per member: tasks of one member run one at a time, in order, each waiting
 * until every window has room. Nothing is dropped: a flood queues. Members idle for the
 * longest window are forgotten, so memory follows active members only.
 */
export class MemberPacer {
  private readonly windows: readonly RateWindow[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly history = new Map<string, number[]>();
  private readonly queue = new KeyedSerialQueue();
  private readonly horizon: number;
  private sends = 0;

  constructor(options: PacerOptions = {}) {
    this.windows = options.windows ?? WECOM_MEMBER_WINDOWS;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.horizon = Math.max(...this.windows.map((w) => w.windowMs));
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
   * `member` in between. A failed part stops the rest (sending them would leave a gap).
   */
  runAll<I>(member: string, parts: readonly I[], send: (part: I) => Promise<unknown>): Promise<void> {
    return this.queue.run(member, async () => {
      for (const part of parts) {
        await this.waitForSlot(member);
        await send(part);
      }
    });
  }

  /** Milliseconds the next send to `member` would wait now. */
  delayFor(member: string): number {
    const now = this.now();
    const stamps = this.prune(member, now);
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      if (stamps.length < limit) continue;
      // The send that must leave the window before there is room again.
      const blocker = stamps[stamps.length - limit] ?? now;
      wait = Math.max(wait, blocker + windowMs - now);
    }
    return wait;
  }

  get trackedMembers(): number {
    return this.history.size;
  }

  private async waitForSlot(member: string): Promise<void> {
    for (let wait = this.delayFor(member); wait > 0; wait = this.delayFor(member)) await this.sleep(wait);
    const stamps = this.history.get(member) ?? [];
    stamps.push(this.now());
    this.history.set(member, stamps);
    // Now and then forget members who have been quiet for the longest window.
    if (++this.sends % 256 === 0) for (const other of [...this.history.keys()]) this.prune(other, this.now());
  }

  private prune(member: string, now: number): number[] {
    const stamps = this.history.get(member);
    if (!stamps) return [];
    const firstLive = stamps.findIndex((t) => now - t < this.horizon);
    if (firstLive === -1) {
      this.history.delete(member);
      return [];
    }
    if (firstLive > 0) stamps.splice(0, firstLive);
    return stamps;
  }
}
