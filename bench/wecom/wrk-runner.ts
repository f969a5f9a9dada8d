/**
 * Runs wrk (pinned to the load generator's CPU) with fresh-callbacks.lua against one port and
 * parses the line the script prints. Requests come from a file written by writePrepared().
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { memberMessage, nextMsgId, type WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { LOADER_CPU, pinnedCommand } from '../support/cpu-pinning.js';
import { CLOCK_TICKS } from '../support/proc-stats.js';

const script = fileURLToPath(new URL('./fresh-callbacks.lua', import.meta.url));

export const wrkAvailable = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.includes('wrk');

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors and non-2xx answers. */
  errors: number;
  /** Requests that had to repeat a prepared callback (its MsgId seen before): should be 0. */
  reused: number;
  /** wrk's own CPU use over the run, in % of one core. */
  loaderCpuPct: number;
}

export interface WrkRun {
  port: number;
  file: string;
  /** Lines of the file to use, 1-based, inclusive. */
  from: number;
  to: number;
  seconds: number;
  connections: number;
  path: string;
}

export function runWrk(run: WrkRun): WrkResult {
  const args = ['-t1', `-c${run.connections}`, `-d${run.seconds}s`, '--timeout', '10s', '-s', script, `http://127.0.0.1:${run.port}${run.path}`];
  const env = { ...process.env, BENCH_REQUESTS_FILE: run.file, BENCH_FROM: String(run.from), BENCH_TO: String(run.to), BENCH_THREADS: '1' };
  const out = spawnSync(...pinnedCommand(LOADER_CPU, 'wrk', args), { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk gave no result (exit ${out.status}): ${out.stderr || out.stdout}`);
  const r = JSON.parse(line.slice('BENCH_RESULT '.length)) as {
    requests: number;
    durationUs: number;
    p50Us: number;
    p99Us: number;
    maxUs: number;
    errors: Record<string, number>;
    reused: number;
    loaderCpuTicks: number;
  };
  const seconds = r.durationUs / 1e6;
  return {
    requests: r.requests,
    seconds,
    rps: r.requests / seconds,
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    maxMs: r.maxUs / 1000,
    errors: Object.values(r.errors).reduce((a, b) => a + b, 0),
    reused: r.reused,
    loaderCpuPct: ((r.loaderCpuTicks / CLOCK_TICKS) * 100) / seconds,
  };
}

/**
 * Writes `count` signed, encrypted text callbacks (each with its own MsgId, from one of 500
 * members, timestamped now) as "path<TAB>body" lines. Done before the timed pass.
 */
export async function writePrepared(client: WecomCallbackClient, corpId: string, count: number, file: string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    const { url, body } = client.prepare(memberMessage(corpId, `member${i % 500}`, 'text', { Content: `你好，这是第 ${i} 条消息 hello`, MsgId: nextMsgId() }));
    const { pathname, search } = new URL(url);
    if (!out.write(`${pathname}${search}\t${body}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
