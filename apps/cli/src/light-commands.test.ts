import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.js';

/**
 * Runs the real binary with a module hook that writes down every module it resolves: what
 * the command loaded, as the process itself saw it.
 */
async function modulesLoadedBy(args: string[]): Promise<{ code: number | null; loaded: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-light-'));
  const list = join(dir, 'loaded.txt');
  writeFileSync(list, '');
  writeFileSync(
    join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(list)}, resolved.url + '\\n');
  return resolved;
}
`,
  );
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  const run = await runCli(args, { cwd: dir, env: { NODE_OPTIONS: `--import ${pathToFileURL(join(dir, 'register.mjs')).href}` } });
  return { code: run.code, loaded: readFileSync(list, 'utf8').split('\n').filter(Boolean) };
}

describe('wecom-bot --version and --help answer without loading the app', () => {
  it.each([['--version'], ['--help']])('%s loads the CLI and yargs, none of the packages', async (flag) => {
    const { code, loaded } = await modulesLoadedBy([flag]);
    expect(code).toBe(0);
    expect(loaded.some((url) => url.endsWith('/apps/cli/src/main.ts'))).toBe(true);
    expect(loaded.filter((url) => /\/packages\/|@wecom-bot\/|\/apps\/cli\/src\/(app|commands\/start)\.ts$/.test(url))).toEqual([]);
  });
});

describe('wecom-bot start', () => {
  it('goes to the command without yargs, which only the other command lines need', async () => {
    const { code, loaded } = await modulesLoadedBy(['start']);
    expect(code).toBe(1); // nothing configured and no terminal: start refuses, after loading the app
    expect(loaded.some((url) => url.endsWith('/apps/cli/src/commands/start.ts'))).toBe(true);
    expect(loaded.filter((url) => /\/node_modules\/(yargs|yargs-parser|cliui)\//.test(url))).toEqual([]);
  });

  it('loads every channel package but none of the servers and parsers that only a started channel needs', async () => {
    const { loaded } = await modulesLoadedBy(['start']);
    for (const channel of ['channel-wechatcom-app', 'channel-wecom-bot', 'channel-wechat-chatbot']) {
      expect(loaded.some((url) => url.includes(`/packages/${channel}/src/`))).toBe(true);
    }
    // Koa and its router come with the webhook, the dialogue platform or the app's other paths; ws and fast-xml-parser with their first use.
    expect(loaded.filter((url) => /\/node_modules\/(koa|@koa\/router|fast-xml-parser|ws)\//.test(url))).toEqual([]);
  });
});
