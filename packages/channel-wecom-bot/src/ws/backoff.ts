export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before reconnect attempt `attempt` (0 for the first): exponential with full jitter,
 * a uniform draw in [0, min(maxMs, baseMs·2^attempt)]. Jitter keeps restarted instances from
 * dialling in step; the growing cap keeps us under WeCom's 45009 limit on rapid subscribes.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * cap);
}
