/**
 * The WeCom AI bot channel (channel_type "wecom_bot") over the long connection, against
 * FakeAibotServer on loopback: how soon a message gets its first frame, how many frames an
 * answer takes, how much heap an open stream holds, and 1,000 streams at once on one
 * connection. Prints figures; asserts nothing.
 *
 * The channel is assembled as the test harness does it (createTestApp + wecomBotIntegration,
 * no plugins, log_level warn) and answered by a scripted bot that streams like a model: 20
 * pieces, 50 ms apart (about 1 s). The fake runs in a child process (this file again), so the
 * channel's event loop and heap carry the channel alone; the fake timestamps each frame as it
 * records it. Beside each figure, a baseline from the same run: a bare `ws` echo between the
 * same two processes (latency), before and after; the same scripted bots with nothing
 * listening (time and event-loop delay of the 1,000 streams), before and after.
 *
 *   pnpm bench wecom-bot
 *   BENCH_MESSAGES=300 BENCH_STREAMS=1000 node --expose-gc --import tsx bench/wecom-bot.ts
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { textReply, type Bot } from '@wecom-bot/core';
import { createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { wecomBotIntegration } from '@wecom-bot/channel-wecom-bot';
import { BOT_ID, BOT_SECRET } from '@wecom-bot/channel-wecom-bot/testing';
import WebSocket from 'ws';
import { fmt, kb, mb, mean, pct, ratio } from './wecom-bot/figures.js';
import type { BatchReport, Command, EchoReport } from './wecom-bot/protocol.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 300);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 1000);
/** Between two messages of the latency run: with ~1 s answers, about 50 stream at any time. */
const MESSAGE_GAP_MS = 20;
const PIECES = 20;
const PIECE_MS = 50;
const SCRIPT_MS = PIECES * PIECE_MS;
const ECHOES = 200;
const ECHO_GAP_MS = 10;
const DEFAULT_INTERVAL_MS = 400; // wecom_bot_stream_interval_ms's default
const FAST_INTERVAL_MS = 100;
/** Node's histogram counts the sampling period in; it is taken off every figure. */
const ELD_RESOLUTION_MS = 10;
/** A message starting with this is answered with part of the script, then held until released. */
const HOLD = '[hold]';

const piece = (k: number) => `第${k + 1}段：这是流式回答里的一小段文字，保留换行。\n`;
const scriptText = (pieces: number) => Array.from({ length: pieces }, (_, k) => piece(k)).join('');
const ANSWER = scriptText(PIECES);
const HELD_TEXT = scriptText(PIECES / 2);

await main();

// ───────────────────────────── the channel's process ─────────────────────────────

async function main(): Promise<void> {
  const child = fork(fileURLToPath(new URL('./wecom-bot/fake-process.ts', import.meta.url)), [], { env: process.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // A fake that dies would leave ask() waiting forever.
  child.once('exit', (code) => {
    if (code !== 0) {
      console.error(`the fake's process exited with ${code}`);
      process.exit(1);
    }
  });
  const [ready] = (await once(child, 'message')) as [{ url: string; echoUrl: string }];
  // The bare baseline's far end: echoes each frame straight back, on this process's loop.
  const echo = new WebSocket(ready.echoUrl);
  await once(echo, 'open');
  echo.on('message', (data, isBinary) => echo.send(data, { binary: isBinary }));

  let release: () => void = () => undefined;
  let released = Promise.resolve();
  const hold = () => (released = new Promise((resolve) => (release = resolve)));
  const bot: Bot = {
    name: 'scripted',
    reply: async () => textReply(await script(() => undefined)),
    streamReply: async (context, onText) => {
      if (!context.content.startsWith(HOLD)) return textReply(await script(onText));
      onText(HELD_TEXT);
      await released;
      return textReply(ANSWER);
    },
  };

  try {
    console.log(`\nwecom_bot over the long connection — FakeAibotServer in a child process, loopback, Node ${process.version}`);
    console.log(`scripted bot: ${PIECES} pieces ${PIECE_MS} ms apart (${SCRIPT_MS} ms), answer ${Buffer.byteLength(ANSWER)} bytes; no plugins; max_concurrent_bot_calls ${2 * STREAMS}`);

    // ── 1 and 2 at the default interval ──
    let channel = await startChannel(ready.url, DEFAULT_INTERVAL_MS, bot);
    await ask<BatchReport>(child, { kind: 'push', count: 50, gapMs: 5, text: 'warm-up', until: 'final', timeoutMs: 10_000 });
    const echoBefore = await ask<EchoReport>(child, { kind: 'echo', count: ECHOES, gapMs: ECHO_GAP_MS });
    let mark = channel.app.logLines.length;
    const slow = await ask<BatchReport>(child, { kind: 'push', count: MESSAGES, gapMs: MESSAGE_GAP_MS, text: '你好', until: 'final', expect: ANSWER, timeoutMs: 20_000 });
    const slowProblems = channel.app.logLines.length - mark;
    const echoAfter = await ask<EchoReport>(child, { kind: 'echo', count: ECHOES, gapMs: ECHO_GAP_MS });

    console.log(`\n1. message arrival (pushMessage) → first frame for its req_id: ${MESSAGES} messages, one every ${MESSAGE_GAP_MS} ms (~${Math.round(SCRIPT_MS / MESSAGE_GAP_MS)} answers streaming meanwhile)`);
    console.log(`${''.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    const row = (name: string, xs: number[]) => console.log(`${name.padEnd(34)} ${fmt(pct(xs, 0.5)).padStart(8)} ${fmt(pct(xs, 0.99)).padStart(8)} ${fmt(Math.max(...xs)).padStart(8)}`);
    row('bare ws echo round trip (before)', echoBefore.rtts);
    row(`wecom_bot, interval ${DEFAULT_INTERVAL_MS} ms`, slow.firsts);
    row('bare ws echo round trip (after)', echoAfter.rtts);
    const bare50 = (pct(echoBefore.rtts, 0.5) + pct(echoAfter.rtts, 0.5)) / 2;
    const bare99 = (pct(echoBefore.rtts, 0.99) + pct(echoAfter.rtts, 0.99)) / 2;
    console.log(
      `ratio wecom_bot/bare (mean of before and after): p50 ${ratio(pct(slow.firsts, 0.5), bare50)}, p99 ${ratio(pct(slow.firsts, 0.99), bare99)}; ` +
        `goal p99 < 100 ms: ${pct(slow.firsts, 0.99) < 100 ? 'met' : 'NOT met'}`,
    );
    console.log(`   answered ${slow.answered}/${slow.pushed} (${slow.wrong} wrong), aibot_send_msg fallbacks ${slow.sendMsg}, warnings logged ${slowProblems}`);

    // ── 3: heap per open stream ──
    const memory = await heapPerStream(child, channel.app, hold, () => release());

    // ── 4: 1,000 at once, at the default interval ──
    const burst400 = await concurrent(child, channel.app);

    // ── 2 (and 4 again) at 100 ms ──
    await channel.stop();
    channel = await startChannel(ready.url, FAST_INTERVAL_MS, bot);
    await ask<BatchReport>(child, { kind: 'push', count: 20, gapMs: 5, text: 'warm-up', until: 'final', timeoutMs: 10_000 });
    mark = channel.app.logLines.length;
    const fast = await ask<BatchReport>(child, { kind: 'push', count: Math.ceil(MESSAGES / 3), gapMs: MESSAGE_GAP_MS, text: '你好', until: 'final', expect: ANSWER, timeoutMs: 20_000 });
    const fastProblems = channel.app.logLines.length - mark;
    const burst100 = await concurrent(child, channel.app);
    await channel.stop();

    console.log(`\n2. frames per answer for a ${SCRIPT_MS} ms answer; expected 2 + ⌊${SCRIPT_MS}/interval⌋ (the placeholder, one per interval, the final)`);
    for (const [interval, r, problems] of [[DEFAULT_INTERVAL_MS, slow, slowProblems], [FAST_INTERVAL_MS, fast, fastProblems]] as const) {
      const f = r.framesPerAnswer;
      console.log(
        `   interval ${String(interval).padStart(3)} ms: ${fmt(mean(f), 1)} frames per answer (min ${Math.min(...f)}, max ${Math.max(...f)}; expected ${2 + Math.floor(SCRIPT_MS / interval)}) over ${r.answered} answers; ` +
          `first frame p50 ${fmt(pct(r.firsts, 0.5))} ms, p99 ${fmt(pct(r.firsts, 0.99))} ms; fallbacks ${r.sendMsg}, warnings ${problems}`,
      );
    }

    console.log(`\n3. heap (after gc) with ${STREAMS} answers open at once, each showing ${Buffer.byteLength(HELD_TEXT)} bytes so far, interval ${DEFAULT_INTERVAL_MS} ms`);
    if (!memory) console.log('   n/a: run with --expose-gc (pnpm bench does)');
    else {
      console.log(`   before ${mb(memory.before)}; open ${mb(memory.open)} → ${kb((memory.open - memory.before) / STREAMS)} per open stream`);
      console.log(`   all finished, ${mb(memory.finished)} → ${kb((memory.finished - memory.before) / STREAMS)} per finished answer still held (the channel remembers msgids and streams for 7-10 min)`);
      console.log(`   answered ${memory.report.answered}/${memory.report.pushed} (${memory.report.wrong} wrong), fallbacks ${memory.report.sendMsg}`);
    }

    console.log(`\n4. ${STREAMS} concurrent streams on one connection (all pushed at once); bare: the same ${STREAMS} scripted bots with nothing listening`);
    console.log(
      `${''.padEnd(34)} ${'total s'.padStart(8)} ${'ELD p99'.padStart(8)} ${'ELD max'.padStart(8)}   (event-loop delay in ms beyond the ${ELD_RESOLUTION_MS} ms sampling period)`,
    );
    for (const [interval, b] of [[DEFAULT_INTERVAL_MS, burst400], [FAST_INTERVAL_MS, burst100]] as const) {
      const line = (name: string, seconds: number, eld: Eld) =>
        console.log(`${name.padEnd(34)} ${fmt(seconds, 2).padStart(8)} ${fmt(eld.p99, 1).padStart(8)} ${fmt(eld.max, 1).padStart(8)}`);
      line('bare bots (before)', b.bareBefore.ms / 1000, b.bareBefore.eld);
      line(`wecom_bot, interval ${interval} ms`, b.report.totalMs / 1000, b.eld);
      line('bare bots (after)', b.bareAfter.ms / 1000, b.bareAfter.eld);
      const bareMs = (b.bareBefore.ms + b.bareAfter.ms) / 2;
      const bareEld = (b.bareBefore.eld.p99 + b.bareAfter.eld.p99) / 2;
      const r = b.report;
      console.log(
        `   ratio wecom_bot/bare: total ${ratio(r.totalMs, bareMs)}, ELD p99 ${ratio(b.eld.p99, bareEld)}; answered ${r.answered}/${r.pushed} (${r.wrong} wrong); ` +
          `frames ${r.respondFrames} (${fmt(r.respondFrames / Math.max(1, r.answered), 1)} per answer), all acked by the fake, ${b.problems} refused or unacked per the channel's log; ` +
          `aibot_send_msg fallbacks ${r.sendMsg}; first frame p50 ${fmt(pct(r.firsts, 0.5))} ms, p99 ${fmt(pct(r.firsts, 0.99))} ms, last ${fmt(Math.max(...r.firsts))} ms ` +
          `(goal < 100 ms: ${pct(r.firsts, 0.99) < 100 ? 'met' : 'not met'} in this burst); the fake pushed them in ${fmt(r.pushMs, 0)} ms`,
      );
    }
  } finally {
    echo.close();
    child.disconnect();
  }
}

interface Eld {
  p99: number;
  max: number;
}

interface Concurrent {
  bareBefore: { ms: number; eld: Eld };
  report: BatchReport;
  eld: Eld;
  problems: number;
  bareAfter: { ms: number; eld: Eld };
}

/** STREAMS messages pushed in one go, each answered by the ~1 s script; beside the bare bots before and after. */
async function concurrent(child: ChildProcess, app: TestApp): Promise<Concurrent> {
  const bareBefore = await bareBots(STREAMS);
  const mark = app.logLines.length;
  const histogram = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  histogram.enable();
  const report = await ask<BatchReport>(child, { kind: 'push', count: STREAMS, gapMs: 0, text: '并发', until: 'final', expect: ANSWER, timeoutMs: 30_000 });
  histogram.disable();
  const problems = app.logLines.length - mark;
  const bareAfter = await bareBots(STREAMS);
  return { bareBefore, report, eld: eldOf(histogram), problems, bareAfter };
}

/** The same script, `n` at once, with nothing listening: timers and closures only. */
async function bareBots(n: number): Promise<{ ms: number; eld: Eld }> {
  const histogram = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  histogram.enable();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => script(() => undefined)));
  const ms = performance.now() - t0;
  histogram.disable();
  return { ms, eld: eldOf(histogram) };
}

async function heapPerStream(
  child: ChildProcess,
  app: TestApp,
  hold: () => void,
  release: () => void,
): Promise<{ before: number; open: number; finished: number; report: BatchReport } | undefined> {
  const gc = globalThis.gc;
  if (!gc) return undefined;
  const heap = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  hold();
  const before = heap();
  await ask<BatchReport>(child, { kind: 'push', count: STREAMS, gapMs: 0, text: HOLD, until: 'first', timeoutMs: 20_000 });
  // Long enough for each stream's text frame to go out and be acked: streams settled, mid-answer.
  await sleep(DEFAULT_INTERVAL_MS + 400);
  const open = heap();
  release();
  const report = await ask<BatchReport>(child, { kind: 'await-final', expect: ANSWER, timeoutMs: 20_000 });
  await app.pipeline.drain(5_000);
  const finished = heap();
  return { before, open, finished, report };
}

async function startChannel(url: string, intervalMs: number, bot: Bot): Promise<{ app: TestApp; stop: () => Promise<void> }> {
  const app = createTestApp(
    {
      channel_type: 'wecom_bot',
      wecom_bot_id: BOT_ID,
      wecom_bot_secret: BOT_SECRET,
      wecom_bot_ws_url: url,
      wecom_bot_stream_interval_ms: intervalMs,
      wecom_bot_ops_port: 0,
      // The default (8) would queue the burst's bots; this measures the channel, not the limiter.
      max_concurrent_bot_calls: 2 * STREAMS,
      log_level: 'warn',
    },
    { integrations: [wecomBotIntegration] },
  );
  app.useBot(bot);
  await app.channel.start(app.pipeline.handle);
  return {
    app,
    stop: async () => {
      await app.pipeline.drain(5_000);
      await app.channel.stop();
    },
  };
}

/** The scripted answer: the text so far after each piece, PIECE_MS apart; the whole text at the end. */
async function script(onText: (soFar: string) => void): Promise<string> {
  let soFar = '';
  for (let k = 0; k < PIECES; k++) {
    soFar += piece(k);
    onText(soFar);
    await sleep(PIECE_MS);
  }
  return soFar;
}

async function ask<R>(child: ChildProcess, command: Command): Promise<R> {
  const reply = once(child, 'message');
  child.send(command);
  const [value] = (await reply) as [R];
  return value;
}

function eldOf(histogram: ReturnType<typeof monitorEventLoopDelay>): Eld {
  const beyond = (ns: number) => Math.max(0, ns / 1e6 - ELD_RESOLUTION_MS);
  return { p99: beyond(histogram.percentile(99)), max: beyond(histogram.max) };
}

// ───────────────────────────── the fake's process ─────────────────────────────
