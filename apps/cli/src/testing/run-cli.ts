import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/wecom-bot.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `wecom-bot` binary as a user would, with piped stdin. */
export function runCli(
  args: string[],
  options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv; keepStdinOpen?: boolean; onSpawn?: (kill: (s: NodeJS.Signals) => void, output: () => string) => void },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin.write(options.input);
    if (!options.keepStdinOpen) child.stdin.end();
    options.onSpawn?.((signal) => child.kill(signal), () => stdout + stderr);
  });
}

/**
 * Runs `wecom-bot` on a pseudo-terminal (util-linux `script`), as a person at a terminal would:
 * stdin is a TTY. `input` is typed, then Ctrl-D ends the input. The output is stdout and
 * stderr together, as a terminal shows them.
 */
export function runCliInTerminal(args: string[], options: { cwd: string; input: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, bin, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'dumb', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let typed = false;
    const onData = (d: Buffer) => {
      output += d.toString();
      // Type once the bot is listening (its prompt), so no keystroke is lost before readline starts.
      if (!typed && output.includes('> ')) {
        typed = true;
        child.stdin.write(options.input);
        setTimeout(() => child.stdin.write('\x04'), 1000);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
