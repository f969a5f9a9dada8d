import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';
import { describe, expect, it } from 'vitest';
import { startBot } from './bot-process.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const botConfig = { ...testWecomConfig('http://127.0.0.1:9'), bot_type: 'echo', voice_to_text: '', text_to_voice: '', log_level: 'info' };

/** Resolves true once something can listen on `port` again, false after `timeoutMs`. */
async function portFreed(port: number, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('stopping the bot as a service manager does (SIGTERM)', () => {
  it('the documented command, node apps/cli/bin/wecom-bot.js start, stops cleanly and frees its port', async () => {
    const bot = await startBot(botConfig, 45_000);
    const port = Number(new URL(bot.callbackUrl).port);
    expect(await bot.stop()).toBe(0);
    expect(bot.stderr()).toMatch(/"reason":"SIGTERM".*"msg":"stopping"/);
    expect(await portFreed(port, 2000)).toBe(true);
  }, 60_000);

  it('`pnpm start`: SIGTERM to pnpm stops the bot too; it is not left running, orphaned, on its port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-pnpm-start-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...botConfig, data_dir: join(dir, 'data') }));
    const pnpm = spawn('pnpm', ['start', '--config', join(dir, 'config.json')], { cwd: repoRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    pnpm.stdout.on('data', (d: Buffer) => (output += d.toString()));
    pnpm.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const ready = await new Promise<{ port: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not running after 45 s:\n${output}`)), 45_000);
      const poll = setInterval(() => {
        const line = output.split('\n').find((l) => l.includes('WeCom callback ready'));
        if (!line || !output.includes('wecom-bot is running')) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(JSON.parse(line) as { port: number });
      }, 100);
    });
    pnpm.kill('SIGTERM');
    expect(await portFreed(ready.port)).toBe(true);
    // The port is freed first, then the in-flight work drains and "stopped" is logged.
    await expect.poll(() => output, { timeout: 10_000, interval: 100 }).toMatch(/"msg":"stopped"/);
  }, 60_000);
});
