import { buildApp } from '../app.js';
import { locateConfig } from '../load.js';

/** Runs until SIGINT/SIGTERM (or the terminal's input ends), then stops cleanly. */
export async function startCommand(configOption: string | undefined): Promise<number> {
  const app = await buildApp(locateConfig(configOption));
  const stopSignal = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
    void app.channel.closed?.then(() => resolve('input closed'));
  });
  await app.start();
  const reason = await stopSignal;
  await app.stop(reason);
  return 0;
}
