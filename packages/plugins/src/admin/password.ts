import { createHash, timingSafeEqual } from 'node:crypto';

const MAX_FAILURES = 5;
const LOCK_MS = 15 * 60 * 1000;

/** Compares in constant time (over digests, so lengths do not leak either). */
export function passwordMatches(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return expected !== '' && timingSafeEqual(digest(given), digest(expected));
}

/** After five wrong passwords a sender waits fifteen minutes: a chat window is no brute-force channel. */
export class FailedAttempts {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  isLocked(id: string): boolean {
    const entry = this.failures.get(id);
    return entry !== undefined && entry.lockedUntil > this.now();
  }

  fail(id: string): void {
    const entry = this.failures.get(id) ?? { count: 0, lockedUntil: 0 };
    entry.count += 1;
    if (entry.count >= MAX_FAILURES) {
      entry.count = 0;
      entry.lockedUntil = this.now() + LOCK_MS;
    }
    this.failures.set(id, entry);
  }

  clear(id: string): void {
    this.failures.delete(id);
  }
}
