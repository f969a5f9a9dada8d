/**
 * Conversations against the real product: a real `wecom-bot start` (channel wechatcom_app,
 * bot openai) pinned to CPU 0; a fake OpenAI answering each chat after 2 s and the fake WeCom
 * API recording message/send, in a child process on CPU 1; BENCH_USERS distinct members (default
 * 5000) each sending one text message, spread evenly over BENCH_SPREAD_MS (default 5000),
 * open-loop, over keep-alive connections from this process (also on CPU 1). After a warm-up of
 * 20 conversations, it reports ack latency, retries WeCom would make, connection errors,
 * members answered missing or twice, time to the last answer, peak RSS and CPU per conversation.
 *
 *   pnpm bench conversations                            # store disk (the product's default)
 *   pnpm bench conversations -- --store memory|disk|redis
 *   pnpm bench conversations -- --store redis --instances 2   # two processes behind a round-robin proxy
 *   BENCH_USERS=500 pnpm bench conversations -- --cpu-prof     # + the bot's top 10 self-time functions
 *   pnpm bench conversations -- --bin SITE/node_modules/wecom-bot/dist/bin.js   # the compiled build, as users run it
 *
 * Other knobs: BENCH_MODEL_DELAY_MS (2000), BENCH_PASSIVE_MS (wechatcomapp_passive_reply_ms;
 * default the product's), BENCH_CONNECTIONS (sender's connection cap; default none),
 * BENCH_ANSWER_TIMEOUT_MS (how long to wait for the answers; 180000), BENCH_BOT_CALLS
 * (max_concurrent_bot_calls; default one per member), BENCH_WARMUP_USERS (conversations before
 * the measured burst; 20).
 */
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WecomCallbackClient, memberMessage, nextMsgId, testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';
import { logSummary, startBot, type RunningBot } from './conversations/bot-process.js';
import type { FakesReport } from './conversations/fakes-process.js';
import { printFigures } from './conversations/figures.js';
import { sendOpenLoop, type ScheduledCallback } from './conversations/open-loop.js';
import { topSelfTime } from './support/cpu-profile-top.js';
import { LOADER_CPU, pinSelf, pinning, spawnPinned } from './support/cpu-pinning.js';
import { cpuMsOf, sampleRss } from './support/proc-stats.js';
import { claimEmptyRedisDb } from './support/redis-db.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { store: { type: 'string', default: 'disk' }, instances: { type: 'string', default: '1' }, 'cpu-prof': { type: 'boolean', default: false }, bin: { type: 'string' } },
});
const STORE = args.store!;
const INSTANCES = Number(args.instances);
const USERS = Number(process.env.BENCH_USERS ?? 5000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_MS ?? 5000);
const ANSWER_TIMEOUT_MS = Number(process.env.BENCH_ANSWER_TIMEOUT_MS ?? 180_000);
const WARMUP_USERS = Number(process.env.BENCH_WARMUP_USERS ?? 20);
if (!['memory', 'disk', 'redis'].includes(STORE)) throw new Error('--store is memory, disk or redis');
if (INSTANCES > 1 && STORE !== 'redis') throw new Error('several instances share their state only through Redis: add --store redis');

pinSelf(LOADER_CPU);
const keys = testWecomConfig('');
const corpId = String(keys.wechatcom_corp_id);
const API_KEY = 'sk-bench-conversations-7Hq2';
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const tsx = (script: string, scriptArgs: string[] = []) => [process.execPath, ['--import', 'tsx', here(script), ...scriptArgs]] as const;

const [fakesCmd, fakesArgs] = tsx('./conversations/fakes-process.ts', [corpId, String(keys.wechatcomapp_secret), API_KEY]);
const fakes = spawnPinned(LOADER_CPU, fakesCmd, [...fakesArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const [{ wecomBase, openaiBase }] = (await once(fakes, 'message')) as [{ wecomBase: string; openaiBase: string }];
const redis = STORE === 'redis' ? claimEmptyRedisDb() : undefined;
const bots: RunningBot[] = [];
let proxy: ReturnType<typeof spawnPinned> | undefined;
let loadWindow = { from: 0, to: 0 };
let keepLogs = false;

const report = async (): Promise<FakesReport> => {
  const answer = once(fakes, 'message') as Promise<[FakesReport]>;
  fakes.send('report');
  return (await answer)[0];
};

try {
  const config = {
    ...testWecomConfig(wecomBase),
    bot_type: 'openai',
    open_ai_api_key: API_KEY,
    open_ai_api_base: openaiBase,
    // Limits set for the load: no per-minute cap on chats; by default every conversation's call
    // in flight at once, or BENCH_BOT_CALLS of them (what one core answers in a model's time).
    rate_limit_chatgpt: 0,
    max_concurrent_bot_calls: Number(process.env.BENCH_BOT_CALLS ?? Math.max(8, USERS + WARMUP_USERS)),
    store: STORE,
    ...(redis ? { redis_url: redis.url } : {}),
    ...(process.env.BENCH_PASSIVE_MS ? { wechatcomapp_passive_reply_ms: Number(process.env.BENCH_PASSIVE_MS) } : {}),
    log_level: 'info',
  };
  for (let i = 0; i < INSTANCES; i++) bots.push(await startBot(config, { cpuProfile: args['cpu-prof'], bin: args.bin }));
  let port = bots[0]!.port;
  if (INSTANCES > 1) {
    const [proxyCmd, proxyArgs] = tsx('./conversations/round-robin-proxy.ts', bots.map((b) => String(b.port)));
    proxy = spawnPinned(LOADER_CPU, proxyCmd, [...proxyArgs], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    port = ((await once(proxy, 'message')) as [{ port: number }])[0].port;
  }

  console.log(
    `conversations benchmark, Node ${process.version}: ${USERS} members × 1 text message over ${SPREAD_MS} ms (open loop), the model answering after ${process.env.BENCH_MODEL_DELAY_MS ?? 2000} ms; ` +
      `store ${STORE}${redis ? ` (db ${redis.db})` : ''}, ${INSTANCES} instance${INSTANCES > 1 ? 's behind a round-robin proxy (on the loader CPU)' : ''}, passive reply window ${process.env.BENCH_PASSIVE_MS ?? 'default (1000)'} ms`,
  );
  console.log(pinning.note.replace('server(s)', `wecom-bot start ×${INSTANCES}`).replace('load generator', 'load generator and fakes'));

  const client = new WecomCallbackClient({ url: `http://127.0.0.1:${port}/wxcomapp`, token: String(keys.wechatcomapp_token), aesKey: String(keys.wechatcomapp_aes_key), corpId });
  const prepare = (member: string, text: string): ScheduledCallback => {
    const { url, body } = client.prepare(memberMessage(corpId, member, 'text', { Content: text, MsgId: nextMsgId() }));
    const { pathname, search } = new URL(url);
    return { member, path: `${pathname}${search}`, body };
  };

  // Warm-up: a few conversations, so the access token is fetched and the code paths are
  // compiled; BENCH_WARMUP_USERS=1000 measures a burst that meets a process already warm, as
  // one that has served for a while is (20, the default, is a burst soon after a restart).
  const warm = Array.from({ length: WARMUP_USERS }, (_, i) => prepare(`warmup-${i}`, `热身 ${i}`));
  const warmSent = await sendOpenLoop(port, warm, Math.max(200, WARMUP_USERS));
  const warmPassive = warmSent.passive.length;
  await waitForAnswers(WARMUP_USERS - warmPassive, 30_000);

  const callbacks = Array.from({ length: USERS }, (_, i) => prepare(`member-${String(i).padStart(5, '0')}`, `你好，我是第 ${i} 位成员，请问今天天气怎么样？`));
  const cpuBefore = bots.map((b) => cpuMsOf(b.pid));
  const rss = bots.map((b) => sampleRss([b.pid]));
  const sent = await sendOpenLoop(port, callbacks, SPREAD_MS, {
    ...(process.env.BENCH_CONNECTIONS ? { maxSockets: Number(process.env.BENCH_CONNECTIONS) } : {}),
  });
  // Passive replies came in the callback answers; the rest must come through message/send.
  await waitForAnswers(WARMUP_USERS - warmPassive + USERS - sent.passive.length, ANSWER_TIMEOUT_MS);
  await sleep(2000); // a double answer would come soon after the first
  loadWindow = { from: sent.startedAt, to: Date.now() };
  const cpuMs = bots.reduce((sum, b, i) => sum + cpuMsOf(b.pid) - cpuBefore[i]!, 0);
  const peakRssMib = rss.map((r) => (r.stop(), r.peak()));
  const fakesReport = await report();
  fakesReport.sends = fakesReport.sends.filter(([member]) => !member.startsWith('warmup-'));
  fakesReport.chats -= WARMUP_USERS;

  console.log('');
  const logs = bots.map((b) => logSummary(b.logFile));
  const levels: Record<string, number> = {};
  const problems = new Map<string, number>();
  for (const log of logs) {
    for (const [k, v] of Object.entries(log.levels)) levels[k] = (levels[k] ?? 0) + v;
    for (const [k, v] of log.problems) problems.set(k, (problems.get(k) ?? 0) + v);
  }
  const { missing, doubled } = printFigures(callbacks, SPREAD_MS, sent, fakesReport, { cpuMs, peakRssMib, logLevels: levels });
  for (const [message, n] of [...problems].sort((a, b) => b[1] - a[1]).slice(0, 5)) console.log(`                  ${n} × ${message.slice(0, 160)}`);
  keepLogs = missing + doubled > 0 || Boolean(process.env.BENCH_NODE_ARGS);
  if (missing + doubled > 0) process.exitCode = 1;
} finally {
  await Promise.all(bots.map((b) => b.stop()));
  proxy?.disconnect();
  fakes.disconnect();
  redis?.clear();
}

for (const bot of bots) {
  const dir = join(bot.dir, 'profile');
  const file = args['cpu-prof'] ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (file) {
    const top = topSelfTime(join(dir, file), 10, { ...loadWindow, spawnedAt: bot.spawnedAt });
    console.log(`\nbot ${bot.pid}: CPU profile from the first message to the last answer (+2 s): ${top.totalMs.toFixed(0)} ms sampled; ${join(dir, file)}`);
    console.log('  self time by where the code lives:');
    for (const a of top.byArea) console.log(`  ${(a.share * 100).toFixed(1).padStart(5)}%  ${a.ms.toFixed(0).padStart(6)} ms  ${a.area}`);
    console.log('  top 10 functions by self time:');
    for (const f of top.functions) {
      console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}  ${f.where}`);
      if (f.via) console.log(`                   via ${f.via}`);
    }
  }
  if (keepLogs || file) console.log(`bot ${bot.pid}: log kept in ${bot.logFile}`);
  else rmSync(bot.dir, { recursive: true, force: true });
}

/** Waits until `count` members have had an answer through message/send, or `timeoutMs` passes. */
async function waitForAnswers(count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { sends } = await report();
    if (new Set(sends.map(([m]) => m)).size >= count) return;
    await sleep(250);
  }
}
