import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The ```ts block under the README's "3. Give it settings" step, as a user copies it. */
function guideStep3(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const step = readme.slice(readme.indexOf('**3. Give it settings'));
  const block = /```ts\n([\s\S]*?)```/.exec(step)?.[1];
  if (!block) throw new Error('the README lost its step 3 code block');
  return block;
}

// The guide says to keep plugins inside the wecom-bot folder: so does this test (a temp folder in the clone).
describe("the README's plugin guide, followed as written", () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = () => {
    const dir = mkdtempSync(join(repoRoot, '.plugin-guide-test-'));
    made.push(dir);
    mkdirSync(join(dir, 'plugins'));
    return dir;
  };

  it('step 3 (a plugin with a zod configSchema) loads, and check is ready', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'plugins', 'weather.ts'), guideStep3());
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', plugins: [{ from: './plugins/weather.ts', config: { unit: 'F' } }] }));
    const run = await runCli(['check'], { cwd: dir });
    expect(run.stdout).toMatch(/✓ user plugin weather loads from \.\/plugins\/weather\.ts/);
    expect(run.stdout).toMatch(/Ready to start\./);
    expect(run.code).toBe(0);
    const chat = await runCli(['start'], { cwd: dir, input: '#weather\n' });
    expect(chat.stdout).toContain('晴，72°F');
  }, 60_000);

  it('a plugin that cannot load makes check fail (exit 1), not a warning beside "Ready to start"', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'plugins', 'broken.ts'), "import { nothing } from 'a-package-that-is-not-installed';\nexport default { name: 'broken', nothing };\n");
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', plugins: ['./plugins/broken.ts'] }));
    const run = await runCli(['check'], { cwd: dir });
    expect(run.stdout).toMatch(/✗ user plugin \.\/plugins\/broken\.ts cannot load \(`wecom-bot start` would run without it\): .*a-package-that-is-not-installed/);
    expect(run.stdout).not.toMatch(/Ready to start/);
    expect(run.code).toBe(1);
  });
});
