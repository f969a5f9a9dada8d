import { Refusal } from './refusal.js';

/**
 * How far a callback's signed timestamp may be from our clock, either way. Equal to how long
 * dedupe.ts remembers a message (10 min): a captured callback replayed later than that would no
 * longer be recognised as a repeat, so it must be refused here instead. WeCom's own retries
 * come within seconds.
 */
export const CALLBACK_TIMESTAMP_WINDOW_MS = 10 * 60_000;

/** Refuses a timestamp that is not seconds since the epoch (400) or is outside the window (403). */
export function checkCallbackTimestamp(timestamp: string, windowMs: number, nowMs: number): void {
  if (!/^\d{1,12}$/.test(timestamp)) throw new Refusal(400, 'timestamp must be seconds since the epoch');
  const ageS = Math.round(nowMs / 1000) - Number(timestamp);
  const windowS = Math.round(windowMs / 1000);
  if (Math.abs(ageS) <= windowS) return;
  const off = ageS > 0 ? `${ageS} s old` : `${-ageS} s in the future`;
  throw new Refusal(
    403,
    `timestamp is ${off}; callbacks more than ${windowS} s from this server's clock are refused (a replayed or long-delayed callback, or this server's clock is wrong: check its time sync)`,
  );
}
