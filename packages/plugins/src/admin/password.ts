import { createHash, timingSafeEqual } from 'node:crypto';

/** Wrong passwords one sender may try before waiting LOCK_MS. */
const MAX_FAILURES = 5;
/** Wrong passwords from everyone together within LOCK_MS before #auth closes for all. */
const MAX_GLOBAL_FAILURES = 20;
const LOCK_MS = 15 * 60 * 1000;
/** Senders remembered at once: a flood of made-up ids must not grow the map without bound. */
const MAX_SENDERS = 10_000;

/** Compares in constant time (over digests, so lengths do not leak either). */
export function passwordMatches(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return expected !== '' && timingSafeEqual(digest(given), digest(expected));
}

/**
 * After five wrong passwords a sender waits fifteen minutes: a chat window is no brute-force
 * channel. Where sender ids are cheap to change, the per-sender count alone would not hold, so
 * twenty failures from anyone within fifteen minutes close #auth for everyone for fifteen
 * minutes (admins already authenticated are not affected).
 */
export class FailedAttempts {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();
  private recent: number[] = [];
  private globalLockedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  isLocked(id: string): boolean {
    const now = this.now();
    if (this.globalLockedUntil > now) return true;
    const entry = this.failures.get(id);
    return entry !== undefined && entry.lockedUntil > now;
  }

  /** Counts a wrong password; returns true when this failure closed #auth for everyone. */
  fail(id: string): boolean {
    const now = this.now();
    const entry = this.failures.get(id) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= MAX_FAILURES) {
      entry.count = 0;
      entry.lockedUntil = now + LOCK_MS;
    }
    this.failures.delete(id);
    this.failures.set(id, entry);
    if (this.failures.size > MAX_SENDERS) this.failures.delete(this.failures.keys().next().value!);
    this.recent = [...this.recent.filter((at) => at > now - LOCK_MS), now].slice(-MAX_GLOBAL_FAILURES);
    if (this.recent.length >= MAX_GLOBAL_FAILURES && this.globalLockedUntil <= now) {
      this.globalLockedUntil = now + LOCK_MS;
      this.recent = [];
      return true;
    }
    return false;
  }

  clear(id: string): void {
    this.failures.delete(id);
  }
}
