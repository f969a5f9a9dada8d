/**
 * Callback-path benchmark for the wechatcom_app channel: verify + decrypt + parse + dedupe +
 * answer 200, in requests per second and p50/p99 latency, against a bare node:http server
 * answering the same requests in the same run. Loopback only; bounded count and time.
 *
 *   pnpm exec tsx bench/wecom-callback.ts            # 20000 requests, 50 connections
 *   BENCH_REQUESTS=5000 BENCH_CONNECTIONS=10 pnpm exec tsx bench/wecom-callback.ts
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { WecomCallbackClient, memberMessage, nextMsgId, testWecomConfig, type PreparedCallback } from '@wecom-bot/channel-wechatcom-app/testing';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP = Math.min(2_000, Math.ceil(REQUESTS / 5));
const TIME_LIMIT_MS = Number(process.env.BENCH_TIME_LIMIT_MS ?? 60_000);

interface Result {
  name: string;
  done: number;
  failed: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}

const child = fork(fileURLToPath(new URL('./wecom/callback-servers.ts', import.meta.url)), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const [{ channelPort, barePort }] = (await once(child, 'message')) as [{ channelPort: number; barePort: number }];

try {
  const cfg = testWecomConfig('');
  const wecom = new WecomCallbackClient({
    url: `http://127.0.0.1:${channelPort}/wxcomapp`,
    token: String(cfg.wechatcomapp_token),
    aesKey: String(cfg.wechatcomapp_aes_key),
    corpId: String(cfg.wechatcom_corp_id),
  });
  // Encryption and signing happen here, outside the timed loop; every message has its own
  // MsgId, so none is short-cut by the dedupe.
  const prepare = (n: number): PreparedCallback[] =>
    Array.from({ length: n }, (_, i) =>
      wecom.prepare(memberMessage(String(cfg.wechatcom_corp_id), `member${i % 500}`, 'text', { Content: `你好，这是第 ${i} 条消息 hello`, MsgId: nextMsgId() })),
    );
  const warm = prepare(WARMUP);
  const timed = prepare(REQUESTS);
  const bodyBytes = Buffer.byteLength(timed[0]!.body);

  const bare = (list: PreparedCallback[]) => list.map((r) => ({ ...r, url: r.url.replace(`:${channelPort}/`, `:${barePort}/`) }));

  // Alternate the order so neither target always runs on a colder machine.
  await run('warm-up bare', bare(warm));
  await run('warm-up channel', warm.map((r) => r));
  const results = [await run('bare node:http', bare(timed)), await run('wechatcom_app callback', timed)];

  console.log(`\nwechatcom_app callback benchmark — ${REQUESTS} POSTs of ${bodyBytes} bytes, ${CONNECTIONS} keep-alive connections, loopback, Node ${process.version}`);
  console.log(`${'server'.padEnd(26)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'failed'.padStart(7)}`);
  for (const r of results) {
    console.log(`${r.name.padEnd(26)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.failed).padStart(7)}`);
  }
  const [b, c] = results as [Result, Result];
  console.log(`ratio channel/bare: throughput ${(c.rps / b.rps).toFixed(2)}x, p50 ${(c.p50 / b.p50).toFixed(1)}x, p99 ${(c.p99 / b.p99).toFixed(1)}x`);
} finally {
  child.disconnect();
}

async function run(name: string, list: PreparedCallback[]): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const deadline = Date.now() + TIME_LIMIT_MS;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < list.length && Date.now() < deadline) {
      const item = list[next++]!;
      const t0 = process.hrtime.bigint();
      const status = await post(agent, item);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status !== 200) failed++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { name, done: latencies.length, failed, seconds, rps: latencies.length / seconds, p50: pct(0.5), p99: pct(0.99) };
}

function post(agent: Agent, item: PreparedCallback): Promise<number> {
  return new Promise((resolve) => {
    const req = request(item.url, { method: 'POST', agent, headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(item.body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end(item.body);
  });
}
