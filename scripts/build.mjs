#!/usr/bin/env node
// `pnpm build`: compiles every published package's src/ into its dist/ (JavaScript and .d.ts)
// with one TypeScript project-references build (tsconfig.build.json at the root), from clean.
// Development does not need it: tests, tsx and `pnpm typecheck` run on the sources.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** tsconfig.build.json files hold comments: strip whole-line // comments before JSON.parse. */
const readConfig = (path) => JSON.parse(readFileSync(path, 'utf8').replace(/^\s*\/\/.*$/gm, ''));
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

const projects = readConfig(join(root, 'tsconfig.build.json')).references.map((ref) => dirname(resolve(root, ref.path)));
const nameOf = new Map(projects.map((dir) => [readJson(join(dir, 'package.json')).name, dir]));

// Each package's tsconfig.build.json must reference the workspace packages it depends on:
// otherwise tsc reads their sources (exports point at src/ in the workspace) and fails far
// from the cause. Say here what to add.
const problems = [];
for (const dir of projects) {
  const pkg = readJson(join(dir, 'package.json'));
  const refs = new Set((readConfig(join(dir, 'tsconfig.build.json')).references ?? []).map((ref) => dirname(resolve(dir, ref.path))));
  for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
    if (!String(range).startsWith('workspace:')) continue;
    const depDir = nameOf.get(dep);
    if (depDir === undefined) problems.push(`${pkg.name} depends on ${dep}, which is not in tsconfig.build.json's references (a published package cannot depend on an unpublished one)`);
    else if (!refs.has(depDir)) problems.push(`${relative(root, dir)}/tsconfig.build.json: add { "path": "${relative(dir, depDir)}/tsconfig.build.json" } to "references" (${pkg.name} depends on ${dep})`);
  }
}
if (problems.length > 0) {
  process.stderr.write(`build: ${problems.join('\n       ')}\n`);
  process.exit(1);
}

for (const dir of projects) {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  rmSync(join(dir, 'tsconfig.build.tsbuildinfo'), { force: true });
}

const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const run = spawnSync(process.execPath, [tsc, '-b', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

// What each tarball carries besides dist/: the licence, and for the CLI (the package people
// find on npm) the project's READMEs, English and Chinese. Copies, not kept in git (see .gitignore).
for (const dir of projects) copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
const cli = nameOf.get('wecom-bot');
for (const readme of ['README.md', 'README.zh-CN.md']) copyFileSync(join(root, readme), join(cli, readme));
// The CLI's `init` copies the template; the installed package has no repo root to find it in.
copyFileSync(join(root, 'config.json.template'), join(cli, 'dist', 'config.json.template'));
chmodSync(join(cli, 'dist', 'bin.js'), 0o755);

process.stdout.write(`build: ${projects.length} packages compiled into their dist/\n`);
