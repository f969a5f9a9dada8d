import { buildApp } from '../app.js';
import { locateConfig } from '../load.js';
import { exitOnCrash } from './crash-exit.js';
import { reloadOnHangup } from './hangup-reload.js';
import { onParentExit } from './parent-watch.js';

/** Exit codes of a second SIGINT/SIGTERM while stopping, as a shell reports death by that signal. */
const FORCED_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs until SIGINT/SIGTERM (or the terminal's input ends), then stops cleanly. A second
 * signal while stopping exits at once: the admin asked twice, do not make them wait the grace.
 * SIGHUP reloads config.json; an error nothing caught is logged, then exits 70.
 */
export async function startCommand(configOption: string | undefined): Promise<number> {
  const app = await buildApp(locateConfig(configOption));
  exitOnCrash(app.logger);
  let stopping = false;
  reloadOnHangup(app.reload, app.logger, () => stopping);
  const stopSignal = new Promise<string>((resolve) => {
    const stop = (reason: string) => {
      stopping = true;
      resolve(reason);
    };
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (!stopping) return stop(signal);
        app.logger.warn({ signal, unfinished: 'in-flight replies are lost' }, `${signal} while stopping: exiting now`);
        process.exit(FORCED_EXIT[signal]);
      });
    }
    void app.channel.closed?.then(() => stop('input closed'));
    onParentExit(() => {
      app.logger.warn('the package manager that started wecom-bot (pnpm start) exited: stopping as on SIGTERM');
      stop('parent exited');
    });
  });
  try {
    await app.start();
  } catch (error) {
    // A port in use, an address not on this host: the channel's message says what to change.
    app.logger.fatal({ err: error }, `could not start: ${(error as Error).message}`);
    await app.stop('start failed').catch(() => undefined);
    return 1;
  }
  const reason = await stopSignal;
  await app.stop(reason);
  return 0;
}
