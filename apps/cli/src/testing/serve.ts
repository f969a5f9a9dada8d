import { runCli, type CliRun } from './run-cli.js';

/** A `wecom-bot start` that keeps running until stopped, for tests that talk to its channel. */
export interface Serving {
  /** The first log line that matched `ready`, parsed (logs are JSON lines when not on a terminal). */
  ready: Record<string, unknown>;
  output(): string;
  /** SIGTERM, then the finished run. */
  stop(): Promise<CliRun>;
}

/**
 * Runs the real binary with `start` in `cwd` (config.json there) and resolves once a log line
 * matches `ready`; rejects with the output if the process ends first or `timeoutMs` passes.
 */
export async function serve(cwd: string, ready: RegExp, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Serving> {
  let kill: (signal: NodeJS.Signals) => void = () => undefined;
  let output: () => string = () => '';
  let finished = false;
  const run = runCli(['start'], {
    cwd,
    env: options.env,
    keepStdinOpen: true,
    onSpawn: (k, o) => {
      kill = k;
      output = o;
    },
  }).finally(() => (finished = true));
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const line = output()
      .split('\n')
      .find((l) => ready.test(l));
    if (line !== undefined) {
      const stop = () => {
        kill('SIGTERM');
        return run;
      };
      return { ready: JSON.parse(line) as Record<string, unknown>, output: () => output(), stop };
    }
    if (finished) throw new Error(`wecom-bot start ended before logging ${ready}:\n${output()}`);
    if (Date.now() > deadline) {
      kill('SIGKILL');
      throw new Error(`no log line matching ${ready}; output:\n${output().slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
