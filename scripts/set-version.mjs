#!/usr/bin/env node
// Sets one version on every package of the workspace (they are released together):
//   node scripts/set-version.mjs 0.3.0
// CHANGELOG.md must have the version's section first ("## [0.3.0] - date"): a release without
// its notes is refused. Only each package.json's "version" line changes.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const version = process.argv[2];
if (!/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(version ?? '')) {
  process.stderr.write('usage: node scripts/set-version.mjs X.Y.Z\n');
  process.exit(2);
}
if (!readFileSync(join(root, 'CHANGELOG.md'), 'utf8').includes(`\n## [${version}]`)) {
  process.stderr.write(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: write the release notes first\n`);
  process.exit(1);
}

// pnpm-workspace.yaml's entries: folders, or folder/* for each folder inside.
const patterns = [...readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8').matchAll(/^\s*-\s*['"]?([^'"\s#]+)/gm)].map((m) => m[1]);
const dirs = patterns.flatMap((pattern) => {
  if (!pattern.endsWith('/*')) return [join(root, pattern)];
  const parent = join(root, pattern.slice(0, -2));
  return existsSync(parent) ? readdirSync(parent, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(parent, d.name)) : [];
});
for (const dir of dirs) {
  const path = join(dir, 'package.json');
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  const updated = text.replace(/^(\s*"version":\s*)"[^"]*"/m, `$1"${version}"`);
  if (updated !== text) writeFileSync(path, updated);
  process.stdout.write(`${JSON.parse(updated).name}@${version}\n`);
}
