import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pluginTestApp, sentTexts, textMessage, validatedConfig } from '../testing/index.js';
import { loadUserPlugins, reloadUserPlugins, type LoadUserPluginsOptions } from './load-user-plugins.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const examples = resolve(here, '../../../../examples/plugins');
const fixtures = join(here, 'fixtures');

/** An app with the built-ins; the loader under test gets the `plugins` entries itself. */
async function load(plugins: unknown[], options: Omit<LoadUserPluginsOptions, 'logger'>) {
  const app = await pluginTestApp();
  const outcomes = await loadUserPlugins(app.plugins, validatedConfig({ plugins }), { logger: app.logger, ...options });
  return { app, outcomes };
}

describe('user plugin loader', () => {
  it('loads a TypeScript plugin from a path with its validated config, and it answers', async () => {
    const { app, outcomes } = await load([{ from: './weather.ts', config: { unit: 'F' } }], { baseDir: examples });
    expect(outcomes).toEqual([{ from: './weather.ts', name: 'weather', ok: true }]);
    await app.pipeline.handle(textMessage('#weather 上海'));
    await app.pipeline.handle(textMessage('#help'));
    expect(sentTexts(app.recorder)[0]).toBe('上海：64°F');
    expect(sentTexts(app.recorder)[1]).toContain('#weather <城市>：查询城市气温');
  });

  it('reports broken plugins by name and loads the good ones; the bot keeps answering', async () => {
    const { app, outcomes } = await load(
      [
        join(fixtures, 'throws-on-import.mjs'),
        { from: join(examples, 'weather.ts'), config: { unit: 'K' } },
        join(fixtures, 'no-default.mjs'),
        join(fixtures, 'setup-throws.mjs'),
        'wecom-bot-plugin-that-is-not-installed',
        join(fixtures, 'missing.mjs'),
        join(fixtures, 'throws-in-hook.mjs'),
        join(examples, 'signature.mjs'),
      ],
      { baseDir: fixtures },
    );
    expect(outcomes.map((o) => [o.name ?? o.from.split('/').pop(), o.ok])).toEqual([
      ['throws-on-import.mjs', false],
      ['weather.ts', false],
      ['no-default.mjs', false],
      ['setup-throws', false],
      ['wecom-bot-plugin-that-is-not-installed', false],
      ['missing.mjs', false],
      ['throws-in-hook', true],
      ['signature', true],
    ]);
    expect(outcomes[0]?.error).toContain('broken on purpose');
    expect(outcomes[1]?.error).toMatch(/config.*unit/);
    expect(outcomes[2]?.error).toContain('no default export');
    expect(outcomes[3]?.error).toContain('setup failed: cannot reach its service');
    expect(outcomes[4]?.error).toContain('pnpm add wecom-bot-plugin-that-is-not-installed');
    expect(outcomes[5]?.error).toContain('file not found');
    expect(app.plugins.has('setup-throws')).toBe(false);
    expect(app.logLines.some((l) => l.includes('user plugin setup-throws skipped'))).toBe(true);

    await app.pipeline.handle(textMessage('still works'));
    expect(sentTexts(app.recorder)).toEqual(['still works\n\n—— 由 AI 生成，仅供参考']);
    expect(app.logLines.some((l) => l.includes('plugin throws-in-hook failed in onHandleContext'))).toBe(true);
  });

  it('loads an installed npm package by name from the config folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-pkg-'));
    const pkg = join(dir, 'node_modules', 'wecom-bot-plugin-hello');
    writeFileSync(join(dir, 'package.json'), '{"name":"bot","private":true}');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'wecom-bot-plugin-hello', type: 'module', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), "export default (config) => ({ name: 'hello', onHandleContext(e) { if (e.context.content === 'hi') { e.reply = { type: 'TEXT', content: config.greeting }; return 'break_pass'; } } });");
    const { app, outcomes } = await load([{ from: 'wecom-bot-plugin-hello', config: { greeting: '你好！' } }], { baseDir: dir });
    expect(outcomes[0]?.ok).toBe(true);
    await app.pipeline.handle(textMessage('hi'));
    expect(sentTexts(app.recorder)).toEqual(['你好！']);
  });

  it('a plugin listed as disabled loads switched off; reload re-reads an edited file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-reload-'));
    const file = join(dir, 'say.mjs');
    const write = (word: string) =>
      writeFileSync(file, `export default { name: 'say', onHandleContext(e) { e.reply = { type: 'TEXT', content: '${word}' }; return 'break_pass'; } };`);
    write('one');
    const { app } = await load([{ from: file, enabled: false }], { baseDir: dir });
    await app.pipeline.handle(textMessage('x'));
    write('two');
    await reloadUserPlugins(app.plugins, validatedConfig({ plugins: [file] }), { logger: app.logger, baseDir: dir });
    await app.pipeline.handle(textMessage('x'));
    expect(sentTexts(app.recorder)).toEqual(['x', 'two']);
  });

  it('skips a plugin whose import or setup never finishes, and start-up goes on', async () => {
    const { app, outcomes } = await load([join(fixtures, 'hangs-on-import.mjs'), join(fixtures, 'setup-hangs.mjs'), join(examples, 'signature.mjs')], {
      baseDir: fixtures,
      timeLimitMs: 300,
    });
    expect(outcomes.map((o) => [o.name ?? o.from.split('/').pop(), o.ok])).toEqual([
      ['hangs-on-import.mjs', false],
      ['setup-hangs', false],
      ['signature', true],
    ]);
    expect(outcomes[0]?.error).toContain('did not load within 0.3 s');
    expect(outcomes[1]?.error).toContain('setup failed: it did not finish within 0.3 s');
    expect(app.plugins.has('setup-hangs')).toBe(false);
    await app.pipeline.handle(textMessage('still works'));
    expect(sentTexts(app.recorder)).toEqual(['still works\n\n—— 由 AI 生成，仅供参考']);
  });
});
