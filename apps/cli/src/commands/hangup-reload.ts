import type { Logger } from '@wecom-bot/core';

/**
 * SIGHUP reloads as an admin's `#reload` does: config.json re-read, the user's plugins
 * reloaded, one summary line logged. A config that fails is refused whole and logged; the
 * bot runs on with what it had. A SIGHUP during a reload waits for it, so two never overlap.
 * Returns a function that stops listening.
 */
export function reloadOnHangup(reload: () => Promise<string>, logger: Logger, stopping: () => boolean): () => void {
  let queue = Promise.resolve();
  const onHangup = () => {
    queue = queue.then(async () => {
      if (stopping()) return;
      try {
        logger.info(`SIGHUP: reloaded: ${await reload()}`);
      } catch (error) {
        logger.error({ err: error }, `SIGHUP: reload failed, still running on the previous config: ${(error as Error).message}`);
      }
    });
  };
  process.on('SIGHUP', onHangup);
  return () => process.off('SIGHUP', onHangup);
}
