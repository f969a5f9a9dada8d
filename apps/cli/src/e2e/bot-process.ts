import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/wecom-bot.js', import.meta.url));

/** One running `wecom-bot start`, as an operator would run it, with its whole stderr kept. */
export interface BotProcess {
  /** The callback URL the channel bound (wechatcomapp_port 0: the OS picked the port). */
  callbackUrl: string;
  stderr(): string;
  /** Resolves with the first stderr line matching `pattern`; rejects on exit or timeout, with the log's tail. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` (SIGHUP: reload), nothing more. */
  signal(signal: NodeJS.Signals): void;
  /** The exit code, once the process has ended on its own. */
  exited(): Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash, an OOM kill): nothing is flushed, nothing is said. */
  kill(): Promise<void>;
  /** The folder holding config.json and data_dir: start again in it to restart. */
  dir: string;
}

/**
 * Writes config.json into a fresh temp dir (data_dir inside it) and spawns the real binary
 * with `start`; resolves once it logs "wecom-bot is running".
 */
export async function startBot(config: Record<string, unknown>, startTimeoutMs = 15_000, options: { callbackServer?: boolean; dir?: string } = {}): Promise<BotProcess> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'wecom-bot-e2e-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ data_dir: join(dir, 'data'), ...config }, null, 2));
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, 'start'], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let closed = false;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => ((closed = true), resolve(code))));
  const waiters = new Set<() => void>();
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const check of waiters) check();
  });
  child.stdout.resume();

  /** Resolves with the first stderr line matching; rejects on exit or after timeoutMs, with the log tail. */
  const waitForLog = (pattern: RegExp, timeoutMs = 5000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const line = stderr.split('\n').find((l) => pattern.test(l));
        if (line === undefined) return;
        cleanup();
        resolve(line);
      };
      const timer = setTimeout(() => (cleanup(), reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms; stderr ends:\n${stderr.slice(-2000)}`))), timeoutMs);
      const onExit = () => (cleanup(), reject(new Error(`wecom-bot exited before logging ${pattern}; stderr:\n${stderr.slice(-2000)}`)));
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
        child.off('close', onExit);
      };
      waiters.add(check);
      child.once('close', onExit);
      check();
      if (closed) onExit();
    });

  await waitForLog(/wecom-bot is running/, startTimeoutMs);
  // The AI bot's long connection has no callback server: nothing to wait for.
  const ready = options.callbackServer === false ? undefined : (JSON.parse(await waitForLog(/WeCom callback ready/)) as { port: number; path: string });
  return {
    callbackUrl: ready ? `http://127.0.0.1:${ready.port}${ready.path}` : '',
    stderr: () => stderr,
    waitForLog,
    signal: (signal) => void child.kill(signal),
    exited: () => exited,
    dir,
    async kill() {
      if (!closed) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!closed) child.kill('SIGTERM');
      return exited;
    },
  };
}
