import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

const fixtures = fileURLToPath(new URL('../../../../packages/plugins/src/loader/fixtures/integrations', import.meta.url));
const httpJson = fileURLToPath(new URL('../../../../examples/integrations/http-json', import.meta.url));

/** config.json in a fresh folder, with the broken fixtures copied nowhere: named by absolute path. */
function configDir(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-broken-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ data_dir: join(dir, 'data'), channel_type: 'terminal', bot_type: 'echo', ...config }));
  return dir;
}

// Each test runs the real CLI once or twice.
describe('a broken user integration', { timeout: 60_000 }, () => {
  it('fails check (exit 1) and start (exit 1, the same reasons), each named with why', async () => {
    const dir = configDir({
      integrations: [join(fixtures, 'throws-on-import.mjs'), join(fixtures, 'not-an-object.mjs'), join(fixtures, 'bad-offers.mjs'), 'wecom-bot-integration-not-installed', join(fixtures, 'tiny-bot.mjs')],
      bot_type: 'tiny',
    });
    const reasons = [
      `integration ${join(fixtures, 'throws-on-import.mjs')}: it threw while loading: this integration is broken on purpose`,
      `integration ${join(fixtures, 'not-an-object.mjs')}: it exports a function, not an integration`,
      `integration ${join(fixtures, 'bad-offers.mjs')}: config[0] is not a config section`,
      'integration wecom-bot-integration-not-installed: cannot find the package "wecom-bot-integration-not-installed"',
    ];
    const check = await runCli(['check'], { cwd: dir });
    for (const reason of reasons) expect(check.stdout).toContain(`✗ ${reason}`);
    expect(check.stdout).toContain('✓ integration tiny loads from'); // the good one still loads
    expect(check.stdout).toContain('4 problems to fix before `wecom-bot start`.');
    expect(check.code).toBe(1);

    const start = await runCli(['start'], { cwd: dir, input: 'hello\n' });
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`${join(dir, 'config.json')} has 4 problems:`);
    for (const reason of reasons) expect(start.stderr).toContain(`  - ${reason}`);
    expect(start.stdout).toBe(''); // nothing was answered
  });

  it('with bad values in its config section: both commands name the keys, env overrides included', async () => {
    const dir = configDir({ integrations: [httpJson], channel_type: 'http_json', http_json_port: 'eighty' });
    const env = { HTTP_JSON_PATH: 'chat' };
    const problems = [
      'http_json_port must be a number, got string',
      'http_json_path: Invalid string: must start with "/" (set by the environment variable HTTP_JSON_PATH)',
      'http_json_secret is required for the http_json channel: Shared secret',
    ];
    const check = await runCli(['check'], { cwd: dir, env });
    for (const problem of problems) expect(check.stdout).toContain(`✗ ${problem}`);
    expect(check.code).toBe(1);
    const start = await runCli(['start'], { cwd: dir, env });
    for (const problem of problems) expect(start.stderr).toContain(`  - ${problem}`);
    expect(start.code).toBe(1);
  });

  it('whose channel throws while being built: start exits 1 naming it, not as an internal error', async () => {
    const dir = configDir({ integrations: [join(fixtures, 'create-throws.mjs')], channel_type: 'fragile' });
    const start = await runCli(['start'], { cwd: dir });
    expect(start.stderr).toContain('integration create-throws (');
    expect(start.stderr).toContain('creating channel fragile failed: the fragile channel cannot open its device');
    expect(start.stderr).not.toMatch(/^\s+at /m); // no stack trace: the user's to fix
    expect(start.code).toBe(1);
  });

  it('that never finishes loading is given up on (10 s), so start-up cannot hang silently', async () => {
    const dir = configDir({ integrations: [join(fixtures, 'hangs-on-import.mjs')] });
    const check = await runCli(['check'], { cwd: dir });
    expect(check.stdout).toContain(`✗ integration ${join(fixtures, 'hangs-on-import.mjs')}: it did not load within 10 s`);
    expect(check.code).toBe(1);
  });
});
