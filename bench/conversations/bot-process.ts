/**
 * Starts the real `wecom-bot start` pinned to the server core: the workspace's
 * apps/cli/bin/wecom-bot.js (tsx on the sources), or `bin` (an installed package's
 * dist/bin.js: the compiled build, as operators run it). Its config.json is in a fresh temp
 * dir and its log in a file there; resolves once its callback server is listening.
 */
import { once } from 'node:events';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SERVER_CPU, spawnPinned } from '../support/cpu-pinning.js';

const workspaceBin = fileURLToPath(new URL('../../apps/cli/bin/wecom-bot.js', import.meta.url));

export interface RunningBot {
  pid: number;
  port: number;
  dir: string;
  logFile: string;
  /** Epoch ms at which the process was spawned. */
  spawnedAt: number;
  /** SIGTERM, then waits for the exit (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

export async function startBot(config: Record<string, unknown>, options: { cpuProfile?: boolean; bin?: string } = {}): Promise<RunningBot> {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bench-bot-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ data_dir: join(dir, 'data'), ...config }, null, 2));
  const logFile = join(dir, 'bot.log');
  const log = openSync(logFile, 'a');
  const profile = options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profile')}`] : [];
  // BENCH_NODE_ARGS (e.g. --trace-gc): node flags for the bot, its output in its log.
  profile.push(...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const spawnedAt = Date.now();
  const child = spawnPinned(SERVER_CPU, process.execPath, [...profile, options.bin ?? workspaceBin, 'start'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', log, log],
  });
  const exited = once(child, 'exit');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((l) => l.includes('WeCom callback ready'));
    if (ready) {
      const { port } = JSON.parse(ready) as { port: number };
      return {
        pid: child.pid!,
        port,
        dir,
        logFile,
        spawnedAt,
        async stop() {
          if (child.exitCode !== null) return;
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`wecom-bot did not start; its log ends:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await sleep(100);
  }
}

/** How many lines of each level the bot logged, and the commonest warn/error messages. */
export function logSummary(logFile: string): { levels: Record<string, number>; problems: Map<string, number> } {
  const levels: Record<string, number> = {};
  const problems = new Map<string, number>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const level = /"level":"(\w+)"/.exec(line)?.[1];
    if (!level) continue;
    levels[level] = (levels[level] ?? 0) + 1;
    if (level === 'info' || level === 'debug' || level === 'trace') continue;
    const message = `${level}: ${/"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? line.slice(0, 120)}`;
    problems.set(message, (problems.get(message) ?? 0) + 1);
  }
  return { levels, problems };
}
