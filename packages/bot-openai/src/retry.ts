import { setTimeout as sleep } from 'node:timers/promises';
import { apiFailureOf } from './api-failure.js';
import type { OpenAIConfig } from './config.js';

export interface RetryOptions {
  /** Retries after the first attempt (max_retries). */
  maxRetries: number;
  /** How long one attempt may take, start to last byte (request_timeout). */
  attemptTimeoutMs: number;
  /** First pause; it doubles each retry up to `maxDelayMs` (a server's Retry-After wins). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** When everything must be over (epoch ms): attempts are cut short and no retry starts after it. */
  deadline?: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** `max_retries` and `request_timeout` of the live config, as chat, images and voice all retry. */
export function configuredRetries(config: OpenAIConfig, baseDelayMs?: number): Pick<RetryOptions, 'maxRetries' | 'attemptTimeoutMs' | 'baseDelayMs'> {
  return {
    maxRetries: config.max_retries,
    attemptTimeoutMs: config.request_timeout * 1000,
    ...(baseDelayMs !== undefined ? { baseDelayMs } : {}),
  };
}

/** A retry with less time than this left before the deadline is not started. */
const MIN_USEFUL_ATTEMPT_MS = 100;

/** Thrown when an attempt ran out of `attemptTimeoutMs` (or of the overall deadline). */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * Runs `attempt` with a deadline of its own, retrying transient failures a bounded number of
 * times. Our loop rather than the SDK's `maxRetries`: the SDK's timeout stops at the response
 * headers, while ours covers the whole answer (a stalled stream too), and every retry is
 * logged by our logger.
 */
export async function withRetries<T>(attempt: (signal: AbortSignal) => Promise<T>, options: RetryOptions): Promise<T> {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 8000;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  for (let n = 0; ; n++) {
    // AbortSignal.timeout takes whole milliseconds only (a fractional one throws a RangeError).
    const timeoutMs = Math.max(1, Math.ceil(Math.min(options.attemptTimeoutMs, deadline - Date.now())));
    const signal = AbortSignal.timeout(timeoutMs);
    let error: unknown;
    try {
      return await attempt(signal);
    } catch (caught) {
      error = signal.aborted ? new RequestTimeoutError(timeoutMs) : caught;
    }
    if (n >= options.maxRetries || !isRetryable(error)) throw error;
    const delayMs = Math.min(retryAfterMs(error) ?? base * 2 ** n, max);
    // No time left for the pause and a useful try: the last failure is the answer.
    if (Date.now() + delayMs + MIN_USEFUL_ATTEMPT_MS > deadline) throw error;
    options.onRetry?.(error, n + 1, delayMs);
    await sleep(delayMs);
  }
}

/** 429 (but not an exhausted quota), 408, 409, 5xx, timeouts and lost connections. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof RequestTimeoutError) return true;
  const failure = apiFailureOf(error);
  if (failure?.kind === 'connection' || failure?.kind === 'timeout') return true;
  if (failure?.kind !== 'status') return false;
  if (failure.status === 429) return failure.code !== 'insufficient_quota';
  return failure.status === 408 || failure.status === 409 || failure.status >= 500;
}

/** The server's `retry-after-ms` or `retry-after` (seconds) header, when it sent one. */
function retryAfterMs(error: unknown): number | undefined {
  const failure = apiFailureOf(error);
  if (failure?.kind !== 'status') return undefined;
  const ms = Number.parseFloat(failure.header('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number.parseFloat(failure.header('retry-after') ?? '');
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
