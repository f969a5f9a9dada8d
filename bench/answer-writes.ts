/**
 * Why the wechatcom_app callback writes the answers of one event-loop turn together at its end
 * (packages/channel-wechatcom-app/src/answer.ts): node:http answering at once vs per turn, with
 * and without BENCH_WORK_US (45) µs of busy work per request standing for a callback's own
 * work. The server runs on one core, wrk (50 connections) on the other. An answer written
 * alone finds an idle peer and pays to wake it; written back to back, the first one does.
 * Prints req/s, p99, the server's CPU per request and the mean time spent in res.end.
 *
 *   pnpm bench answer-writes
 *   BENCH_SECONDS=10 BENCH_WORK_US=30 pnpm bench answer-writes
 *
 * Needs wrk (Debian/Ubuntu: apt-get install wrk) and taskset (util-linux) for the pinning.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { LOADER_CPU, SERVER_CPU, pinnedCommand, pinning, spawnPinned } from './support/cpu-pinning.js';
import { wrkAvailable } from './wecom/wrk-runner.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WORK_US = Number(process.env.BENCH_WORK_US ?? 45);
const CONNECTIONS = 50;
const serverScript = fileURLToPath(new URL('./answer-writes/write-server.ts', import.meta.url));

interface Report {
  cpuUs: number;
  answered: number;
  endUs: number;
}

async function startServer(mode: string, workUs: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnPinned(SERVER_CPU, process.execPath, ['--import', 'tsx', serverScript, mode], {
    env: { ...process.env, BENCH_WORK_US: String(workUs) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [first] = (await once(child, 'message')) as [{ port: number }];
  return { child, port: first.port };
}

function wrk(port: number, seconds: number): { rps: number; p99Ms: number } {
  const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/`];
  const out = spawnSync(...pinnedCommand(LOADER_CPU, 'wrk', args), { encoding: 'utf8' }).stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  if (!Number.isFinite(rps) || !p99) throw new Error(`could not read wrk's output:\n${out}`);
  const scale = p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1;
  return { rps, p99Ms: Number(p99[1]) * scale };
}

async function measure(mode: string, workUs: number): Promise<string> {
  const { child, port } = await startServer(mode, workUs);
  try {
    wrk(port, 1); // warm-up
    child.send('start');
    const result = wrk(port, SECONDS);
    child.send('stop');
    const [report] = (await once(child, 'message')) as [Report];
    const label = `${workUs > 0 ? `${workUs} µs of work` : 'no work'}, ${mode}`;
    const perRequest = report.cpuUs / report.answered;
    return `${label.padEnd(26)} ${result.rps.toFixed(0).padStart(8)} ${result.p99Ms.toFixed(2).padStart(8)} ${perRequest.toFixed(1).padStart(12)} ${(report.endUs / report.answered).toFixed(1).padStart(12)}`;
  } finally {
    child.disconnect();
    child.kill();
  }
}

if (!wrkAvailable) {
  console.log('answer-writes: skipped, wrk is not installed (apt-get install wrk)');
} else {
  console.log(`answers written at once vs per event-loop turn, Node ${process.version}: node:http, ${CONNECTIONS} connections, ${SECONDS} s each`);
  console.log(pinning.note);
  console.log('');
  console.log(`${'server'.padEnd(26)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(8)} ${'cpu µs/req'.padStart(12)} ${'res.end µs'.padStart(12)}`);
  for (const workUs of [0, WORK_US]) for (const mode of ['at-once', 'per-turn']) console.log(await measure(mode, workUs));
  console.log('');
  console.log('cpu µs/req: the server process\'s CPU (user + system) over the timed pass per request; res.end µs: the mean wall time of res.end, the write system call included.');
}
