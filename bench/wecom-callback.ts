/**
 * Callback-path benchmark for the wechatcom_app channel (verify + decrypt + parse + dedupe +
 * outbox record + answer 200), measured side by side on one core: each server runs alone in its
 * own process pinned to CPU 0, wrk loads it from CPU 1 over 50 keep-alive connections with
 * prepared callbacks that each carry a fresh MsgId, and each server is compared with a bare
 * node:http server measured just before and just after it, in the same run.
 *
 *   pnpm bench wecom-callback
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=50 BENCH_SERVERS=channel-memory,minimal pnpm bench wecom-callback
 *   BENCH_CPU_PROF=/tmp/prof pnpm bench wecom-callback   (a .cpuprofile per measured server, and its top functions)
 *   BENCH_NODE_ARGS=--trace-gc pnpm bench wecom-callback  (node flags for the measured servers, not the bare ones)
 *
 * Needs wrk (Debian/Ubuntu: apt-get install wrk) and taskset (util-linux) for the pinning.
 */
import { type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WecomCallbackClient, testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';
import { topSelfTime } from './support/cpu-profile-top.js';
import { LOADER_CPU, SERVER_CPU, pinSelf, pinning, spawnPinned } from './support/cpu-pinning.js';
import { runWrk, writePrepared, wrkAvailable, type WrkResult } from './wecom/wrk-runner.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const MEASURED = (process.env.BENCH_SERVERS ?? 'channel-memory,channel-disk,minimal').split(',').filter(Boolean);
/** Callbacks are signed with the time they were prepared; the channel refuses them 10 min later. */
const REPREPARE_AFTER_MS = 8 * 60_000;
/** Lines of the prepared file used for each server's warm-up; its timed pass uses the lines after. */
const WARM_LINES = 20_000;

if (!wrkAvailable) {
  console.log('wecom-callback: wrk not found; install it (Debian/Ubuntu: apt-get install wrk) to run this benchmark.');
  process.exit(1);
}
pinSelf(LOADER_CPU);

const cfg = testWecomConfig('');
const corpId = String(cfg.wechatcom_corp_id);
const client = new WecomCallbackClient({ url: 'http://127.0.0.1/wxcomapp', token: String(cfg.wechatcomapp_token), aesKey: String(cfg.wechatcomapp_aes_key), corpId });
const dir = mkdtempSync(join(tmpdir(), 'wecom-callback-bench-'));
const serverScript = fileURLToPath(new URL('./wecom/callback-servers.ts', import.meta.url));

/** The prepared callbacks: every server process is fresh, so each may use the same lines once. */
const prepared = { file: '', lines: 0, at: 0, generation: 0 };
async function ensurePrepared(lines: number): Promise<void> {
  if (prepared.lines >= lines && Date.now() - prepared.at < REPREPARE_AFTER_MS) return;
  prepared.file = join(dir, `callbacks-${++prepared.generation}.txt`);
  prepared.at = Date.now();
  prepared.lines = Math.ceil(lines * 1.2);
  const started = performance.now();
  await writePrepared(client, corpId, prepared.lines, prepared.file);
  console.log(`  (prepared ${prepared.lines} signed callbacks in ${((performance.now() - started) / 1000).toFixed(1)} s, outside any timed pass)`);
}

let lastBareRps = 0;

interface Pass extends WrkResult {
  name: string;
  cpuUsPerRequest: number;
  serverCpuPct: number;
}

async function measure(kind: string): Promise<Pass> {
  // One folder per server: tsx's loader thread writes a profile of its own beside the main thread's.
  const profileDir = CPU_PROF_DIR && kind !== 'bare' ? join(CPU_PROF_DIR, kind) : undefined;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const nodeArgs = kind === 'bare' ? [] : NODE_ARGS;
  const server = spawnPinned(SERVER_CPU, process.execPath, [...profile, ...nodeArgs, '--import', 'tsx', serverScript, kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const window = { spawnedAt: Date.now(), from: 0, to: 0 };
  try {
    const [{ port }] = (await once(server, 'message')) as [{ port: number }];
    // Warm-up on its own lines; the timed pass gets lines no request has used on this server.
    await ensurePrepared(WARM_LINES * 2);
    const warm = runWrk({ port, file: prepared.file, from: 1, to: WARM_LINES, seconds: WARMUP_SECONDS, connections: CONNECTIONS, path: '/wxcomapp' });
    // A bare server ignores MsgIds (repeating lines costs it nothing); the others get enough
    // fresh lines for the timed pass.
    const fresh = kind !== 'bare';
    // A warm-up runs slower than the steady state; half the bare server's rate is more than
    // a correct callback server reaches (the minimal one does about a third).
    if (fresh) await ensurePrepared(WARM_LINES + Math.ceil(Math.max(warm.rps * 3, lastBareRps * 0.5) * SECONDS));
    await send(server, 'start');
    window.from = Date.now();
    const to = fresh ? prepared.lines : WARM_LINES * 2;
    const measured = runWrk({ port, file: prepared.file, from: WARM_LINES + 1, to, seconds: SECONDS, connections: CONNECTIONS, path: '/wxcomapp' });
    window.to = Date.now();
    const timed = { ...measured, reused: fresh ? measured.reused : 0 };
    if (!fresh) lastBareRps = timed.rps;
    const [{ cpuUs }] = await Promise.all([once(server, 'message') as Promise<[{ cpuUs: number }]>, send(server, 'stop')]).then(([m]) => m);
    return { name: kind, ...timed, cpuUsPerRequest: cpuUs / timed.requests, serverCpuPct: cpuUs / 1e4 / timed.seconds };
  } finally {
    server.disconnect();
    if (server.exitCode === null) await once(server, 'exit');
    // Default profile names end in <pid>.<thread id>.<seq>: the main thread is thread 0.
    const mainThread = profileDir && readdirSync(profileDir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
    if (mainThread) printProfile(join(profileDir, mainThread), window);
  }
}

function printProfile(file: string, window: { spawnedAt: number; from: number; to: number }): void {
  const top = topSelfTime(file, 15, window);
  console.log(`  CPU profile of the timed pass: ${top.totalMs.toFixed(0)} ms sampled; ${file}`);
  for (const a of top.byArea) console.log(`  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.area}`);
  for (const f of top.functions) console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}  ${f.where}  via ${f.via}`);
}

function send(child: ChildProcess, message: string): Promise<void> {
  return new Promise((resolve, reject) => child.send(message, (error) => (error ? reject(error) : resolve())));
}

const row = (cells: Array<string | number>, widths: number[]) => cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i]!)).join(' ');
const widths = [16, 8, 8, 8, 8, 10, 8, 9, 8, 7, 7, 9];
const fmt = (p: Pass, ratio: string, cpuRatio: string) =>
  row([p.name, p.rps.toFixed(0), p.p50Ms.toFixed(2), p.p99Ms.toFixed(2), ratio, p.cpuUsPerRequest.toFixed(0), cpuRatio, p.serverCpuPct.toFixed(0), p.loaderCpuPct.toFixed(0), p.errors, p.reused, p.requests], widths);

console.log(`wechatcom_app callback benchmark, Node ${process.version}: ${SECONDS} s per pass after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} keep-alive connections, loader wrk (1 thread)`);
console.log(pinning.note);
const passes: Pass[] = [];
try {
  passes.push(await measure('bare'));
  for (const kind of MEASURED) {
    console.log(`  measuring ${kind} …`);
    passes.push(await measure(kind));
    passes.push(await measure('bare'));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n${row(['server', 'req/s', 'p50 ms', 'p99 ms', 'ratio', 'cpu µs/req', 'cpu x', 'server%', 'wrk%', 'errors', 'reused', 'requests'], widths)}`);
passes.forEach((p, i) => {
  const [before, after] = [passes[i - 1], passes[i + 1]];
  const compared = p.name !== 'bare' && before && after;
  const ratio = compared ? `${(p.rps / ((before.rps + after.rps) / 2)).toFixed(2)}x` : '';
  const cpuRatio = compared ? `${(p.cpuUsPerRequest / ((before.cpuUsPerRequest + after.cpuUsPerRequest) / 2)).toFixed(1)}x` : '';
  console.log(fmt(p, ratio, cpuRatio));
});
console.log(
  '\nratio: req/s over the mean of the bare node:http passes just before and after. cpu µs/req: the server process\'s own CPU (user+system) over the timed pass per request;\n' +
    'cpu x: that over the bare passes\' (steadier than req/s when other work shares the core).\n' +
    'server%/wrk%: CPU used in % of one core; wrk well under 100% means the loader was not the bottleneck. errors: socket errors and non-2xx answers; reused: requests that repeated a MsgId, for want of prepared ones (both should be 0).',
);
if (passes.some((p) => p.errors + p.reused > 0)) process.exitCode = 1;
