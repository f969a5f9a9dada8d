#!/usr/bin/env node
// `pnpm build`: compiles every published package's src/ into its dist/ (JavaScript and .d.ts)
// with one TypeScript project-references build (tsconfig.build.json at the root), from clean,
// then bundles each package's JavaScript (see bundlePackage). Development does not need it:
// tests, tsx and `pnpm typecheck` run on the sources.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

/**
 * Replaces the JavaScript tsc wrote into `dir`/dist (one file per source module) with a bundle
 * of it: one file per entry point of the published package (publishConfig's exports and bin),
 * plus chunks the entries share, and one per dynamic import(), so what a command does not run
 * is still not loaded (`--version` stays light). Node loads a few files instead of a few
 * hundred: about a tenth of `wecom-bot start`'s start-up was finding and reading them.
 * Every package import stays an import (packages: 'external'): each package, @wecom-bot/core
 * above all, has one instance that the CLI, the other packages and a user's plugins share.
 * The declarations (.d.ts) stay as tsc wrote them.
 */
async function bundlePackage(dir) {
  const dist = join(dir, 'dist');
  const pkg = readJson(join(dir, 'package.json'));
  const published = pkg.publishConfig ?? {};
  const entries = [...Object.values(published.exports ?? {}).map((target) => (typeof target === 'string' ? target : target.default)), ...Object.values(published.bin ?? {})];
  const { outputFiles } = await build({
    entryPoints: [...new Set(entries)].map((entry) => join(dir, entry)),
    outdir: dist,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    // Bundling renames clashing top-level names; logged errors show their class's name.
    keepNames: true,
    logLevel: 'warning',
  });
  for (const file of readdirSync(dist, { recursive: true })) if (file.endsWith('.js')) rmSync(join(dist, file));
  for (const { path, text } of outputFiles) {
    // tsyringe throws on import unless the Reflect polyfill is loaded first. The sources load
    // it first, but splitting hoists a file's imports of shared chunks above its imports of
    // packages: so each bundled file that imports tsyringe loads the polyfill just before.
    const needsPolyfill = pkg.dependencies?.['reflect-metadata'] && text.includes('from "tsyringe"');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, needsPolyfill ? text.replace(/^(#!.*\n)?/, "$1import 'reflect-metadata';\n") : text);
  }
}
for (const dir of projects) await bundlePackage(dir);

// What each tarball carries besides dist/: the licence, and for the CLI (the package people
// find on npm) the project's READMEs, English and Chinese. Copies, not kept in git (see .gitignore).
for (const dir of projects) copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
const cli = nameOf.get('wecom-bot');
for (const readme of ['README.md', 'README.zh-CN.md']) copyFileSync(join(root, readme), join(cli, readme));
// The CLI's `init` copies the template; the installed package has no repo root to find it in.
copyFileSync(join(root, 'config.json.template'), join(cli, 'dist', 'config.json.template'));
chmodSync(join(cli, 'dist', 'bin.js'), 0o755);

process.stdout.write(`build: ${projects.length} packages compiled and bundled into their dist/\n`);
