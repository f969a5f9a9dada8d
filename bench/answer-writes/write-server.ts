/**
 * One server of bench/answer-writes.ts, in its own process (the parent pins it to a core):
 * node:http answering 200 to every request after BENCH_WORK_US of busy CPU work, either at once
 * (`at-once`) or with the other answers of its event-loop turn, at the turn's end (`per-turn`,
 * as the wechatcom_app callback answers). IPC: sends { port } once listening; answers "stop"
 * with the CPU used since "start" and the mean time spent in res.end.
 */
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const mode = process.argv[2];
if (mode !== 'at-once' && mode !== 'per-turn') throw new Error(`unknown mode "${mode}": at-once or per-turn`);
const workNs = BigInt(Math.round(Number(process.env.BENCH_WORK_US ?? 0) * 1000));

let answered = 0;
let endNs = 0n;
let waiting: ServerResponse[] = [];

function end(res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.statusCode = 200;
  res.end('');
  endNs += process.hrtime.bigint() - started;
  answered += 1;
}

function endWaiting(): void {
  const answers = waiting;
  waiting = [];
  for (const res of answers) end(res);
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    // Stands for a callback's own work (verify, decrypt, parse, record).
    const until = process.hrtime.bigint() + workNs;
    while (process.hrtime.bigint() < until);
    if (mode === 'at-once') return end(res);
    if (waiting.length === 0) setImmediate(endWaiting);
    waiting.push(res);
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');

let since = process.cpuUsage();
process.on('message', (message: string) => {
  if (message === 'start') {
    since = process.cpuUsage();
    answered = 0;
    endNs = 0n;
  }
  if (message === 'stop') {
    const used = process.cpuUsage(since);
    process.send?.({ cpuUs: used.user + used.system, answered, endUs: Number(endNs / 1000n) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ port: (server.address() as AddressInfo).port });
