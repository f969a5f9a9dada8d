/**
 * The disk store (data_dir) alone, in one process pinned to CPU 0 as the bot is. Two loads:
 *
 * - conversations: BENCH_USERS members (5000) over BENCH_SPREAD_MS (5000), open loop, each doing
 *   the store writes one conversation of the product does when answers come in time (counted with
 *   strace on `pnpm bench conversations`, 300 members in 2 s): seen.remember (durable, before the
 *   ack), outbox.add (durable), two pacing takes; after BENCH_MODEL_DELAY_MS (2000) outbox.claim,
 *   the history (sessions) and outbox.done: 7 lines, ~2 KB, 4 of them durable.
 *   Prints the event loop's longest block, CPU per conversation, and the latency of the durable
 *   seen.remember the ack waits for.
 * - overwrites: BENCH_KEYS settings (50000, ~170 bytes each) overwritten by 64 writers at once
 *   for BENCH_SECONDS (5), each write durable, so the file is compacted again and again: writes
 *   per second, the longest block, and how many compactions replaced the file.
 *
 * The longest block is the longest late timer (1 ms interval) less the time the main thread
 * waited for a CPU (its /proc run-queue wait): on a shared machine descheduling is not ours, but
 * a blocking fsync is. The raw figure (perf_hooks.monitorEventLoopDelay) is printed beside it, and
 * CPU is the main thread's own (/proc schedstat), so another process's load does not count.
 *
 *   pnpm bench disk-store                         # the working tree's store
 *   pnpm bench disk-store -- --against HEAD       # A/B/A: HEAD's store, the working tree's, HEAD's again
 *
 * `--against <git ref>` loads that commit's packages/core/src/store/disk/ from a temp folder (the
 * rest of the store code is the working tree's). Each run is its own process, one after another.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Stores } from '@wecom-bot/core';
import { SERVER_CPU, pinSelf, pinning } from './support/cpu-pinning.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { against: { type: 'string' }, impl: { type: 'string' }, label: { type: 'string', default: 'working tree' } },
});
const USERS = Number(process.env.BENCH_USERS ?? 5000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 5000);
const MODEL_MS = Number(process.env.BENCH_MODEL_DELAY_MS ?? 2000);
const KEYS = Number(process.env.BENCH_KEYS ?? 50_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));
const diskDir = join(root, 'packages/core/src/store/disk');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

interface Loop {
  /** The longest late timer less the main thread's run-queue wait meanwhile. */
  maxBlockMs: number;
  /** monitorEventLoopDelay's max: the same, descheduling included. */
  maxDelayMs: number;
  /** The main thread's CPU time. */
  cpuMs: number;
}

interface Figures {
  label: string;
  conv: Loop & { rememberP50: number; rememberP99: number };
  over: Loop & { writesPerS: number; compactions: number };
  rssMib: number;
}

/** Watches the event loop from a 1 ms timer, reading the main thread's schedstat (on-CPU ns, run-queue ns). */
function watchLoop(): { stop(): Loop } {
  const fd = openSync('/proc/thread-self/schedstat', 'r');
  const buffer = Buffer.alloc(128);
  const read = () => {
    const [cpu = 0, queued = 0] = buffer.toString('latin1', 0, readSync(fd, buffer, 0, 128, 0)).split(' ').map(Number);
    return { at: performance.now(), cpu: cpu / 1e6, queued: queued / 1e6 };
  };
  const first = read();
  let last = first;
  let maxBlockMs = 0;
  const timer = setInterval(() => {
    const now = read();
    maxBlockMs = Math.max(maxBlockMs, now.at - last.at - (now.queued - last.queued) - 1);
    last = now;
  }, 1);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  return {
    stop() {
      clearInterval(timer);
      delay.disable();
      const cpuMs = read().cpu - first.cpu;
      closeSync(fd);
      return { maxBlockMs, maxDelayMs: delay.max / 1e6, cpuMs };
    },
  };
}

/** Runs each store in its own process and prints their figures side by side. */
async function compare(): Promise<void> {
  const runs: { label: string; impl: string }[] = [{ label: 'working tree', impl: diskDir }];
  let refDir: string | undefined;
  if (args.against) {
    refDir = checkout(args.against);
    const ref = { label: args.against, impl: refDir };
    runs.unshift(ref);
    runs.push({ ...ref, label: `${args.against} again` });
  }
  console.log(`disk store, Node ${process.version}: ${USERS} conversations over ${SPREAD_MS} ms (model ${MODEL_MS} ms); ${KEYS} keys overwritten by 64 writers for ${SECONDS} s`);
  console.log(pinning.note);
  const results: Figures[] = [];
  try {
    for (const run of runs) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--impl', run.impl, '--label', run.label], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: process.env,
      });
      const last = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !last.startsWith('{')) throw new Error(`${run.label} failed: ${child.stdout}`);
      results.push(JSON.parse(last) as Figures);
    }
  } finally {
    if (refDir) rmSync(refDir, { recursive: true, force: true });
  }
  const col = (s: string | number, w = 10) => String(s).padStart(w);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`\n${''.padEnd(14)}| conversations${''.padEnd(43)}| overwrites`);
  console.log(
    `${'store'.padEnd(14)}|${col('max block')}${col('(raw)')}${col('CPU/conv')}${col('remember p50/p99', 20)}${col('RSS')} |` +
      `${col('max block')}${col('(raw)')}${col('writes/s')}${col('µs CPU/w')}${col('compactions', 12)}`,
  );
  for (const { label, conv: c, over: o, rssMib } of results) {
    console.log(
      `${label.padEnd(14)}|${col(ms(c.maxBlockMs))}${col(ms(c.maxDelayMs))}${col(`${((c.cpuMs * 1000) / USERS).toFixed(0)} µs`)}${col(`${c.rememberP50.toFixed(1)}/${c.rememberP99.toFixed(1)} ms`, 20)}${col(`${rssMib.toFixed(0)} MiB`)} |` +
        `${col(ms(o.maxBlockMs))}${col(ms(o.maxDelayMs))}${col(o.writesPerS.toFixed(0))}${col(((o.cpuMs * 1000) / (o.writesPerS * SECONDS)).toFixed(1))}${col(o.compactions, 12)}`,
    );
  }
  console.log('max block: the longest late timer less the wait for a CPU (raw: monitorEventLoopDelay max); CPU: the main thread\'s');
}

/** Writes `ref`'s disk store into a temp folder, its imports of the rest of the store pointed at the working tree. */
function checkout(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-disk-store-'));
  const git = (...a: string[]) => spawnSync('git', a, { cwd: root, encoding: 'utf8' });
  const listed = git('ls-tree', '--name-only', ref, 'packages/core/src/store/disk/');
  if (listed.status !== 0) throw new Error(`git ls-tree ${ref}: ${listed.stderr}`);
  const store = pathToFileURL(join(root, 'packages/core/src/store/')).href;
  for (const path of listed.stdout.split('\n').filter((p) => p.endsWith('.ts') && !p.endsWith('.test.ts'))) {
    const text = git('show', `${ref}:${path}`).stdout.replaceAll("from '../", `from '${store}`);
    writeFileSync(join(dir, path.split('/').at(-1)!), text);
  }
  return dir;
}

async function measure(impl: string, label: string): Promise<void> {
  pinSelf(SERVER_CPU);
  const { createDiskStores } = (await import(pathToFileURL(join(impl, 'index.ts')).href)) as {
    createDiskStores(o: { dir: string }): Promise<Stores>;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-disk-data-'));
  try {
    mkdirSync(join(dataDir, 'conv'));
    mkdirSync(join(dataDir, 'over'));
    const conv = await conversations(await createDiskStores({ dir: join(dataDir, 'conv') }));
    const over = await overwrites(await createDiskStores({ dir: join(dataDir, 'over') }), join(dataDir, 'over', 'settings.jsonl'));
    const figures: Figures = { label, conv, over, rssMib: process.memoryUsage().rss / 2 ** 20 };
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function conversations(stores: Stores): Promise<Figures['conv']> {
  const remember: number[] = [];
  const text = '你好，我是一位成员，请问今天天气怎么样？能不能帮我写一段简短的回答？';
  const one = async (i: number) => {
    const member = `member-${String(i).padStart(5, '0')}`;
    const id = `wechatcom_app:m:id:${7_000_000_000 + i}`;
    const started = performance.now();
    await stores.seen.remember(id, 600_000);
    remember.push(performance.now() - started);
    const payload = { touser: member, msgtype: 'text', agentid: 1000002, text: { content: text }, context: { channel: 'wechatcom_app', member, msgId: id, receivedAt: Date.now(), note: 'x'.repeat(160) } };
    await stores.outbox.add({ id, kind: 'message', payload, owner: 'bench' }, { claimMs: 60_000, ttlMs: 86_400_000 });
    await stores.pacing.take(`member:${member}`, 20, 60_000);
    await stores.pacing.take(`chat:${member}`, 20, 60_000);
    await sleep(MODEL_MS);
    await stores.outbox.claim(id, 'bench', 60_000);
    await stores.sessions.set(`openai:history:${member}`, { turns: [{ user: text, assistant: `${text}（回答）` }] }, 3600);
    await stores.outbox.done(id);
  };
  const loop = watchLoop();
  const all: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    for (let i = 0; i < USERS; i++) {
      setTimeout(() => {
        all.push(one(i));
        if (all.length === USERS) resolve();
      }, (i * SPREAD_MS) / USERS);
    }
  });
  await Promise.all(all);
  await stores.close();
  remember.sort((a, b) => a - b);
  return { ...loop.stop(), rememberP50: pct(remember, 0.5), rememberP99: pct(remember, 0.99) };
}

async function overwrites(stores: Stores, file: string): Promise<Figures['over']> {
  const value = (i: number) => ({ i, text: '设置'.repeat(20), at: Date.now() });
  for (let k = 0; k < KEYS; k += 1000) await Promise.all(Array.from({ length: Math.min(1000, KEYS - k) }, (_, j) => stores.settings.set(`k${k + j}`, value(0))));
  let inode = statSync(file).ino;
  let compactions = 0;
  const watch = setInterval(() => {
    const now = statSync(file).ino;
    if (now !== inode) compactions += 1;
    inode = now;
  }, 5);
  const loop = watchLoop();
  const deadline = performance.now() + SECONDS * 1000;
  let writes = 0;
  const writer = async (w: number) => {
    for (let i = w; performance.now() < deadline; i += 64) {
      await stores.settings.set(`k${(i * 7919) % KEYS}`, value(i));
      writes += 1;
    }
  };
  await Promise.all(Array.from({ length: 64 }, (_, w) => writer(w)));
  const figures = loop.stop();
  clearInterval(watch);
  await stores.close();
  return { ...figures, writesPerS: writes / SECONDS, compactions };
}

if (args.impl) await measure(args.impl, args.label!);
else await compare();
