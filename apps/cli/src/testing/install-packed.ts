import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/core: what a user's deployment provides as the integrations' peer @wecom-bot/core. */
const coreDir = fileURLToPath(new URL('../../../../packages/core', import.meta.url));

/**
 * A folder where `packageDirs` are installed as a user installs an integration: each packed
 * (`pnpm pack`, which turns workspace: versions into real ones) and `npm install`ed from its
 * tarball, offline. @wecom-bot/core is their peer: it is linked in as the bot's own copy.
 */
export function installPacked(packageDirs: readonly string[]): string {
  const site = mkdtempSync(join(tmpdir(), 'wecom-bot-site-'));
  writeFileSync(join(site, 'package.json'), JSON.stringify({ name: 'my-bot', private: true }));
  const tarballs = packageDirs.map((dir) => {
    const into = mkdtempSync(join(tmpdir(), 'wecom-bot-pack-'));
    execFileSync('pnpm', ['pack', '--pack-destination', into], { cwd: dir, stdio: 'pipe' });
    return join(into, readdirSync(into).find((f) => f.endsWith('.tgz'))!);
  });
  // --legacy-peer-deps: npm would otherwise fetch the peer from the registry; it is provided below.
  execFileSync('npm', ['install', '--offline', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', ...tarballs], { cwd: site, stdio: 'pipe' });
  const core = join(site, 'node_modules', '@wecom-bot', 'core');
  mkdirSync(dirname(core), { recursive: true });
  symlinkSync(coreDir, core, 'dir');
  return site;
}
