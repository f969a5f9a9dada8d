import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.js';
import { templatePath } from './paths.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'wecom-bot-cli-'));

describe('wecom-bot start', () => {
  it('with no config.json runs the demo: the terminal channel answers through the echo bot', async () => {
    const run = await runCli(['start'], { cwd: tmp(), input: 'hello\n你好，机器人\n\nlast line\n' });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Bot: hello\nBot: 你好，机器人\nBot: last line\n');
    expect(run.stderr).toMatch(/running the demo/);
  });

  it('runs the channel and bot named by --config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'bot.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', log_level: 'warn' }));
    const run = await runCli(['start', '--config', 'bot.json'], { cwd: dir, input: 'ping\n' });
    expect(run).toMatchObject({ code: 0, stdout: 'Bot: ping\n' });
    expect(run.stderr).not.toMatch(/demo/);
  });

  it('stops cleanly on SIGTERM while waiting for input', async () => {
    const run = await runCli(['start'], {
      cwd: tmp(),
      keepStdinOpen: true,
      onSpawn: (kill, output) => {
        const poll = setInterval(() => {
          if (output().includes('wecom-bot is running')) {
            clearInterval(poll);
            kill('SIGTERM');
          }
        }, 50);
      },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/"reason":"SIGTERM".*stopping/);
  });

  it('refuses a bad config with every problem named and exit code 1', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', max_concurrent_bot_calls: 'many', log_level: 'loud' }));
    const run = await runCli(['start'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has 2 problems/);
    expect(run.stderr).toMatch(/max_concurrent_bot_calls must be a number, got string/);
    expect(run.stderr).toMatch(/log_level/);
  });

  it('names an unknown channel_type', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'telegram', bot_type: 'echo' }));
    const run = await runCli(['start'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/channel_type "telegram" is not one of .*terminal/);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'ecko' }));
    const typo = await runCli(['start'], { cwd: dir });
    expect(typo.stderr).toMatch(/bot_type "ecko" is not one of .*Did you mean "echo"\?/);
  });
});

describe('wecom-bot init', () => {
  it('writes config.json from the template and never overwrites it', async () => {
    const dir = tmp();
    const first = await runCli(['init'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(readFileSync(templatePath, 'utf8'));
    writeFileSync(join(dir, 'config.json'), '{"mine": true}');
    const second = await runCli(['init'], { cwd: dir });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already exists/);
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe('{"mine": true}');
  });
});

describe('wecom-bot check', () => {
  it('passes on a complete config', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo' }));
    const run = await runCli(['check'], { cwd: dir });
    expect(run.stdout).toMatch(/✓ config file/);
    expect(run.stdout).toMatch(/Ready to start\./);
    expect(run.code).toBe(0);
  });

  it('fails with exit code 1 on an explicit --config that does not exist', async () => {
    const run = await runCli(['check', '--config', 'nope.json'], { cwd: tmp() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/nope\.json has 1 problem:[\s\S]*file not found/);
  });
});

describe('wecom-bot usage', () => {
  it('prints help and version, and exits 2 on an unknown command', async () => {
    const dir = tmp();
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/wecom-bot start\s+Start the configured channel and bot/);
    const version = await runCli(['--version'], { cwd: dir });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const wrong = await runCli(['launch'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Unknown argument: launch/);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
  });
});
