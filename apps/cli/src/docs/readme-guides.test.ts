import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { serve, type Serving } from '../testing/serve.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const readme = readFileSync(join(repo, 'README.md'), 'utf8');

/** One `## title` section of the README, up to the next. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced blocks of a section in a language, in order. */
function blocks(text: string, lang: string): string[] {
  return [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)\\n```', 'g'))].map((m) => m[1]!);
}

/**
 * A folder laid out as the wecom-bot clone a reader has (ESM package, @wecom-bot/core and
 * vitest installed), holding every TypeScript block that starts with its file name
 * (`// integrations/dice.ts`) exactly as the README prints it.
 */
function cloneWithGuideFiles(...titles: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-guides-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  for (const [name, target] of [['@wecom-bot/core', 'packages/core'], ['vitest', 'node_modules/vitest']]) {
    mkdirSync(dirname(join(dir, 'node_modules', name!)), { recursive: true });
    symlinkSync(join(repo, target!), join(dir, 'node_modules', name!), 'dir');
  }
  for (const title of titles) {
    for (const code of blocks(section(title), 'ts')) {
      const file = /^\/\/ (integrations\/[\w.-]+\.ts)\n/.exec(code)?.[1];
      if (!file) continue;
      mkdirSync(join(dir, 'integrations'), { recursive: true });
      writeFileSync(join(dir, file), `${code}\n`);
    }
  }
  return dir;
}

let running: Serving | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe("the README's guides run as written", () => {
  it('Write a channel: the channel answers curl, and check names it', async () => {
    const dir = cloneWithGuideFiles('Write a channel');
    const [config] = blocks(section('Write a channel'), 'json');
    writeFileSync(join(dir, 'config.json'), config!);
    const check = await runCli(['check'], { cwd: dir });
    expect(check.stdout).toContain('✓ integration hello-http loads from ./integrations/hello-http.ts');
    expect(check.code).toBe(0);
    // Port 0 (any free one) through the environment, as a user may override any key.
    running = await serve(dir, /hello_http listening/, { env: { HELLO_HTTP_PORT: '0' } });
    const [curl] = blocks(section('Write a channel'), 'sh');
    const body = /-d '([^']+)'/.exec(curl!)![1]!;
    const response = await fetch(`http://127.0.0.1:${String(running.ready.port)}`, { method: 'POST', body });
    expect(JSON.stringify(await response.json())).toBe(/# (.*)$/m.exec(curl!)![1]);
  }, 60_000);

  it('Write a bot: the terminal chat rolls dice', async () => {
    const dir = cloneWithGuideFiles('Write a bot');
    const [config] = blocks(section('Write a bot'), 'json');
    writeFileSync(join(dir, 'config.json'), config!);
    const run = await runCli(['start'], { cwd: dir, input: '2d6\n' });
    expect(run.stdout).toMatch(/^Bot: 🎲 [1-6] \+ [1-6] = \d+\n$/);
    expect(run.code).toBe(0);
  }, 60_000);

  it("both guides' tests pass under vitest in the reader's folder", () => {
    const dir = cloneWithGuideFiles('Write a channel', 'Write a bot');
    const run = spawnSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: '1' } });
    expect(`${run.stdout}${run.stderr}`).toMatch(/Tests\s+.*2 passed/);
    expect(run.status).toBe(0);
  }, 60_000);
});
