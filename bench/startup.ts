// How long `wecom-bot` takes to start: `start` until it listens ("wecom-bot is running", logged
// once the channel's server accepts callbacks), and `--version`, each from the workspace (tsx
// on the sources, bin/wecom-bot.js) and compiled (dist/bin.js of the packed, npm-installed
// package, as users run it). Each round also times `node -e ''`, the floor no CLI goes under.
//   node --import tsx bench/startup.ts [--runs 10] [--site DIR] [--node PATH] [--against REF [--against-site DIR]]
// --site: a folder where the tarballs are npm-installed (KEEP_PACK_DIR=1 pnpm test:pack keeps
// one: /tmp/wecom-bot-pack.*/site). Without it: pnpm build, pack, npm install into a temp folder.
// --node: the Node binary the measured processes run on (default: this one), e.g. the container's.
// --against: a git ref (HEAD: the last commit) whose start-up is timed in the same rounds, so
// before and after meet the same load: its tree is extracted into a temp folder and its
// dependencies installed from pnpm's store. --against-site: its installed tarballs, as --site
// (else built, packed and installed as above).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10' }, site: { type: 'string' }, node: { type: 'string', default: process.execPath }, against: { type: 'string' }, 'against-site': { type: 'string' } },
});
const runs = Number(values.runs);

/** A bot as deployed: the self-built app's callback server (loopback, any port), the OpenAI bot, voice on. */
const CONFIG = {
  channel_type: 'wechatcom_app',
  wechatcom_corp_id: 'wwBenchCorp0123456789',
  wechatcomapp_token: 'BenchToken8Hq2xZ',
  wechatcomapp_secret: 'BenchAppSecret-kJ81mZqL0pA7sV3nX9yB4cW6',
  wechatcomapp_agent_id: 1000002,
  wechatcomapp_aes_key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  wechatcomapp_port: 0,
  wechatcomapp_host: '127.0.0.1',
  bot_type: 'openai',
  open_ai_api_key: 'sk-bench-0000000000000000',
  open_ai_api_base: 'http://127.0.0.1:9/v1',
  data_dir: './data',
};

/**
 * CPU milliseconds (user + system) `pid` has used so far, from /proc (Linux; undefined elsewhere):
 * steadier than wall time on a busy machine, where waiting for a core counts in the wall time.
 */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const cpuSamples: Record<string, number[]> = {};

/** Milliseconds from spawn until `ready` matches a stderr line or, without it, until the process exits. */
function time(args: string[], cwd: string, ready?: RegExp, cpuKey?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(values.node, args, { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let elapsed: number | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (ready && elapsed === undefined && ready.test(stderr)) {
        elapsed = performance.now() - started;
        const cpu = cpuMs(child.pid);
        if (cpuKey && cpu !== undefined) (cpuSamples[cpuKey] ??= []).push(cpu);
        child.kill('SIGTERM');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!ready && code === 0) return resolve(performance.now() - started);
      if (ready && elapsed !== undefined) return resolve(elapsed);
      reject(new Error(`node ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
}

/** `ref`'s tree in `dir` (git archive: the repository is only read), its dependencies installed from pnpm's store. */
function checkout(ref: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', ref], { cwd: root, maxBuffer: 1 << 30 });
  if (archive.status !== 0) throw new Error(`git archive ${ref}: ${archive.stderr.toString()}`);
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar: ${tar.stderr.toString()}`);
  run('pnpm', ['install', '--offline', '--frozen-lockfile'], dir);
  return dir;
}

/** Builds, packs and npm-installs the packages of the checkout `from` into `work`, as scripts/pack-smoke.sh does. */
function installPacked(from: string, work: string): string {
  process.stdout.write(`building, packing and installing the packages of ${from} (a few minutes)…\n`);
  mkdirSync(work, { recursive: true });
  run('pnpm', ['build'], from);
  run('bash', ['scripts/pack.sh', join(work, 'tarballs')], from);
  const site = join(work, 'site');
  mkdirSync(site);
  writeFileSync(join(site, 'package.json'), '{ "name": "startup-bench", "private": true }');
  const tarballs = readdirSync(join(work, 'tarballs')).map((name) => join(work, 'tarballs', name));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs], site);
  return site;
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'wecom-bot-startup-'));
try {
  const site = values.site ?? installPacked(root, join(work, 'now'));
  const binsOf = (checkout: string, installed: string) => ({ workspace: join(checkout, 'apps/cli/bin/wecom-bot.js'), compiled: join(installed, 'node_modules/wecom-bot/dist/bin.js') });
  const bins = binsOf(root, site);
  const againstDir = values.against === undefined ? undefined : checkout(values.against, join(work, 'against'));
  const against = againstDir && binsOf(againstDir, values['against-site'] ?? installPacked(againstDir, join(work, 'against-pack')));
  const botDir = join(work, 'bot');
  mkdirSync(botDir);
  writeFileSync(join(botDir, 'config.json'), JSON.stringify(CONFIG, null, 2));

  const casesOf = (b: typeof bins, suffix: string): Record<string, () => Promise<number>> => ({
    [`--version, workspace${suffix}`]: () => time([b.workspace, '--version'], botDir),
    [`--version, compiled${suffix}`]: () => time([b.compiled, '--version'], botDir),
    [`start to listening, workspace${suffix}`]: () => time([b.workspace, 'start'], botDir, /wecom-bot is running/, `workspace${suffix}`),
    [`start to listening, compiled${suffix}`]: () => time([b.compiled, 'start'], botDir, /wecom-bot is running/, `compiled${suffix}`),
  });
  const cases: Record<string, () => Promise<number>> = { "node -e ''": () => time(['-e', ''], botDir), ...(against && casesOf(against, ` (${values.against})`)), ...casesOf(bins, '') };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  // One warm-up round (disk cache, tsx's transform cache), then the measured rounds, interleaved
  // so a busy moment on the machine touches every case alike.
  for (let round = 0; round <= runs; round++) {
    for (const [name, measure] of Object.entries(cases)) {
      const ms = await measure();
      if (round > 0) samples[name]!.push(ms);
    }
    if (round === 0) for (const key of Object.keys(cpuSamples)) cpuSamples[key] = []; // the warm-up's
  }
  process.stdout.write(`\nwecom-bot start-up, median of ${runs} runs (min–max), Node ${spawnSync(values.node, ['--version'], { encoding: 'utf8' }).stdout.trim()}, load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} CPUs\n`);
  const floor = median(samples["node -e ''"]!);
  for (const [name, xs] of Object.entries(samples)) {
    const m = median(xs);
    const over = name.startsWith('node') ? '' : `  (+${Math.round(m - floor)} ms over node -e '')`;
    process.stdout.write(`  ${name.padEnd(41)} ${String(Math.round(m)).padStart(5)} ms  (${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))})${over}\n`);
  }
  for (const [key, xs] of Object.entries(cpuSamples)) {
    if (xs.length > 0) process.stdout.write(`  CPU time to listening, ${key.padEnd(19)} ${String(Math.round(median(xs))).padStart(5)} ms (user + system)\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
