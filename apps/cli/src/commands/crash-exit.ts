import type { Logger } from '@wecom-bot/core';

/** The exit code of a crash, as of any unexpected internal error (see main.ts). */
export const CRASH_EXIT_CODE = 70;

/**
 * An error nothing caught (a plugin's timer throwing, a promise nobody awaited) would reach
 * stderr raw: outside the log, unscrubbed. It goes through the app's logger instead (one
 * fatal line, stack included, secrets masked), then the process exits: its state is unknown
 * after such an error, so it does not go on; the service manager restarts it.
 */
export function exitOnCrash(logger: Logger): () => void {
  const crash = (what: string) => (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    logger.fatal({ err: reason }, `${what}: ${message}; exiting with ${CRASH_EXIT_CODE}`);
    process.exit(CRASH_EXIT_CODE);
  };
  const onException = crash('uncaught exception');
  const onRejection = crash('unhandled promise rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
