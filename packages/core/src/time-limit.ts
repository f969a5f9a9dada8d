/** Thrown by `withinTime` when the work did not settle in time. */
export class TimeLimitError extends Error {
  override name = 'TimeLimitError';
}

/**
 * `work`, or a TimeLimitError after `ms`. The work itself cannot be stopped: it goes on
 * unobserved (a late rejection is swallowed, never unhandled).
 */
export async function withinTime<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(message)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
