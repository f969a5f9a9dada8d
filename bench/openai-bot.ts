/**
 * OpenAI bot costs of its own (the API's time excluded): importing the package and the `openai`
 * SDK, loading a tokenizer, building a token-trimmed prompt from a long history, whole chat
 * turns against the loopback fake OpenAI server (with the heap the stored histories hold), and
 * the CPU of one chat call three ways, side by side in rotating rounds (A/B/C × 3), plain and
 * streamed, the fake in another process on the other core: the SDK over fetch (what 0.2 did),
 * the SDK over a node:http fetch, and the direct call the bot makes now.
 *
 *   pnpm bench openai-bot                 # everything
 *   pnpm bench openai-bot -- --calls      # only the chat-call A/B (BENCH_CALLS per round, 2000)
 */
import { fork, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { fileURLToPath } from 'node:url';
import { createContext } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import { completeChat } from '../packages/bot-openai/src/chat.js';
import { OpenAIApi } from '../packages/bot-openai/src/http/api.js';
import { ApiTransport } from '../packages/bot-openai/src/http/transport.js';
import { openaiIntegration } from '../packages/bot-openai/src/index.js';
import { loadSdk } from '../packages/bot-openai/src/sdk.js';
import { startFakeOpenAI } from '../packages/bot-openai/src/testing/index.js';
import { LOADER_CPU, SERVER_CPU, pinSelf, pinning } from './support/cpu-pinning.js';
import { buildPrompt, countedTurn } from '../packages/bot-openai/src/session/trim.js';
import { tokenCounterFor } from '../packages/bot-openai/src/session/tokenizer.js';

const ANSWER = '令牌桶按固定速率补充令牌，允许突发；漏桶则以恒定速率流出。'.repeat(6);

// The fake's own process (forked below with --serve-fake): its CPU is not the bot's.
if (process.argv.includes('--serve-fake')) {
  const fake = await startFakeOpenAI({ handlers: { chat: () => ({ content: ANSWER }) } });
  process.send!(fake.baseURL);
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
}

/**
 * Import of the package once core is loaded (its own cost, which no longer includes the SDK),
 * and of the `openai` SDK alone, as the first image or voice call now pays it: wall and CPU
 * ms, medians of 5 fresh processes through tsx (as `wecom-bot start` from the workspace).
 */
function importTimes(): void {
  const time = (what: string, specifier: string, cwd: string) => {
    const code = `await import('@wecom-bot/core'); const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(specifier)}); const u = process.cpuUsage(c); console.log(performance.now() - t, (u.user + u.system) / 1000);`;
    const runs = Array.from({ length: 5 }, () => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', cwd }).stdout.trim().split(' ').map(Number));
    const median = (i: number) => runs.map((r) => r[i]!).sort((a, b) => a - b)[2]!.toFixed(0);
    console.log(`import ${what}: ${median(0)} ms, ${median(1)} ms CPU (medians of 5 fresh processes through tsx)`);
  };
  const pkg = new URL('../packages/bot-openai/', import.meta.url);
  time('@wecom-bot/bot-openai', fileURLToPath(new URL('src/index.ts', pkg)), fileURLToPath(pkg));
  time('openai (now on the first image or voice call)', 'openai', fileURLToPath(pkg));
}

async function tokenizerLoad(model: string): Promise<void> {
  const before = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  await tokenCounterFor(model);
  const ms = performance.now() - t0;
  const mb = (process.memoryUsage().heapUsed - before) / 2 ** 20;
  console.log(`load tokenizer for ${model}: ${ms.toFixed(0)} ms, heap +${mb.toFixed(1)} MB`);
}

/** A run without spaces or punctuation: js-tiktoken's merge was quadratic in it (4,000 characters took 10 s). */
async function longRun(chars: number): Promise<void> {
  const counter = await tokenCounterFor('gpt-4o');
  const text = '这是一个很长的中文句子没有空格'.repeat(Math.ceil(chars / 15)).slice(0, chars);
  const t0 = performance.now();
  const tokens = counter.message('assistant', text);
  console.log(`count ${chars} Chinese characters without punctuation: ${tokens} tokens in ${(performance.now() - t0).toFixed(0)} ms (blocks the event loop)`);
}

async function trimming(turnCount: number, budget: number): Promise<void> {
  const counter = await tokenCounterFor('gpt-4o');
  const uncounted = Array.from({ length: turnCount }, (_, i) => ({
    user: `第 ${i} 个问题：请解释一下 token bucket 限流算法，以及它和 leaky bucket 的区别。`,
    assistant: `Answer ${i}: a token bucket refills at a fixed rate and allows bursts up to its capacity; 漏桶则以恒定速率流出。`.repeat(3),
  }));
  // As stored by the bot: each turn carries its token count.
  const turns = uncounted.map((t) => countedTurn(t.user, t.assistant, counter));
  const rounds = 500;
  const t0 = performance.now();
  let kept = 0;
  for (let i = 0; i < rounds; i++) kept = buildPrompt('You are a helpful assistant.', turns, `new question ${i}`, budget, counter).kept.length;
  const ms = (performance.now() - t0) / rounds;
  const t1 = performance.now();
  for (let i = 0; i < 50; i++) buildPrompt('You are a helpful assistant.', uncounted, `q ${i}`, budget, counter);
  const uncountedMs = (performance.now() - t1) / 50;
  console.log(`buildPrompt: ${turnCount} stored turns, budget ${budget} tokens -> ${kept} kept, ${ms.toFixed(3)} ms per prompt (${uncountedMs.toFixed(2)} ms when every turn is re-encoded)`);
}

async function chatTurns(total: number, sessions: number, concurrency: number): Promise<void> {
  const fake = await startFakeOpenAI();
  const app = createTestApp(
    { bot_type: 'openai', open_ai_api_key: 'sk-bench', open_ai_api_base: fake.baseURL, rate_limit_chatgpt: 0, log_level: 'warn', conversation_max_tokens: 1000 },
    { integrations: [openaiIntegration] },
  );
  const bot = app.bridge.bot;
  await bot.reply(createContext({ type: 'TEXT', content: 'warm up', channel: 'bench', sessionId: 'warm' }));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  // One worker per session slice, so turns of a session never overlap (as the pipeline ensures).
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = next++; i < total; i = next++) {
        const sessionId = `s${worker + concurrency * (i % Math.ceil(sessions / concurrency))}`;
        const start = performance.now();
        const reply = await bot.reply(createContext({ type: 'TEXT', content: `问题 ${i}: how does the rate limiter work?`, channel: 'bench', sessionId }));
        if (reply.type !== 'TEXT') throw new Error(`unexpected ${reply.type}: ${String(reply.content)}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  global.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  await fake.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
  console.log(`chat turns via loopback fake: ${total} turns, ${sessions} sessions, ${concurrency} in flight: ${(total / seconds).toFixed(0)} turns/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, heap +${heapMb.toFixed(1)} MB for ${sessions} histories`);
}

type Call = (stream: boolean, signal: AbortSignal) => Promise<string>;
const question = [{ role: 'system' as const, content: 'You are a helpful assistant.' }, { role: 'user' as const, content: '问题: how does the rate limiter work?' }];

type Sdk = Awaited<ReturnType<typeof loadSdk>>;

/** One chat call as 0.2 made it: the SDK over the global fetch, the stream assembled from its chunks. */
function sdkCall(client: InstanceType<Sdk['OpenAI']>): Call {
  return async (stream, signal) => {
    if (!stream) return (await client.chat.completions.create({ model: 'gpt-4o', messages: question, temperature: 0.9, top_p: 1 }, { signal })).choices[0]?.message.content ?? '';
    let text = '';
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-4o', messages: question, temperature: 0.9, top_p: 1, stream: true }, { signal })) text += chunk.choices[0]?.delta?.content ?? '';
    return text;
  };
}

/**
 * The other option weighed: the SDK given a fetch over node:http (the same kept-alive transport
 * as the direct call), the body handed back as a web stream, as a Response must carry it.
 */
function nodeHttpFetch(baseURL: string): typeof fetch {
  const transport = new ApiTransport(new URL(baseURL).origin, '');
  return (async (input: string | URL, init: RequestInit) => {
    const url = new URL(String(input));
    const headers = Object.fromEntries(new Headers(init.headers as ConstructorParameters<typeof Headers>[0]));
    const res = await transport.send({ method: (init.method ?? 'GET') as 'POST', path: `${url.pathname}${url.search}`, headers, body: init.body as string, signal: init.signal! });
    const answerHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) if (typeof value === 'string') answerHeaders.set(name, value);
    return new Response(Readable.toWeb(res.body) as ReadableStream, { status: res.status, headers: answerHeaders });
  }) as typeof fetch;
}

/** The same call as the bot makes it now. */
function directCall(api: OpenAIApi): Call {
  return async (stream, signal) => (await completeChat(api, { model: 'gpt-4o', messages: question, temperature: 0.9, topP: 1, stream }, signal)).content;
}

/** CPU µs of this process per call, `total` calls with `concurrency` in flight. */
async function cpuPerCall(call: Call, stream: boolean, total: number, concurrency: number): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        if ((await call(stream, AbortSignal.timeout(30_000))) !== ANSWER) throw new Error('wrong answer');
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / total;
}

async function chatCalls(total: number, concurrency: number): Promise<void> {
  pinSelf(SERVER_CPU);
  const child = fork(fileURLToPath(import.meta.url), ['--serve-fake'], { execArgv: ['--import', 'tsx'] });
  const [baseURL] = (await once(child, 'message')) as [string];
  if (pinning.enabled) spawnSync('taskset', ['-a', '-cp', String(LOADER_CPU), String(child.pid)], { stdio: 'ignore' });
  const { OpenAI: Client } = await loadSdk();
  const modes: Record<string, Call> = {
    'SDK + fetch (0.2)': sdkCall(new Client({ apiKey: 'sk-bench', baseURL, maxRetries: 0, logLevel: 'off' })),
    'SDK + node:http fetch': sdkCall(new Client({ apiKey: 'sk-bench', baseURL, maxRetries: 0, logLevel: 'off', fetch: nodeHttpFetch(baseURL) })),
    'direct (now)': directCall(new OpenAIApi(baseURL, 'sk-bench', '')),
  };
  console.log(`chat call CPU (this process only; ${pinning.note}), ${total} calls a round, ${concurrency} in flight, answer of ${ANSWER.length} characters:`);
  for (const stream of [false, true]) {
    for (const call of Object.values(modes)) await cpuPerCall(call, stream, 300, concurrency); // warm-up
    const rounds: Record<string, number[]> = {};
    const names = Object.keys(modes);
    for (let round = 0; round < 3 * names.length; round++) {
      const name = names[round % names.length]!;
      global.gc?.();
      (rounds[name] ??= []).push(await cpuPerCall(modes[name]!, stream, total, concurrency));
    }
    const events = stream ? `, ${Math.ceil(ANSWER.length / 4) + 2} events` : '';
    for (const [name, us] of Object.entries(rounds)) {
      const sorted = [...us].sort((a, b) => a - b);
      console.log(`  ${stream ? 'streamed' : 'plain'}${events}, ${name}: ${us.map((u) => u.toFixed(0)).join(' / ')} µs per call (median ${sorted[1]!.toFixed(0)})`);
    }
  }
  child.disconnect();
}

if (!process.argv.includes('--serve-fake')) {
  if (!process.argv.includes('--calls')) {
    importTimes();
    await tokenizerLoad('gpt-4o');
    await tokenizerLoad('deepseek-chat');
    await trimming(200, 2500);
    await trimming(200, 8000);
    await longRun(700);
    await longRun(4000);
    await chatTurns(4000, 400, 16);
  }
  await chatCalls(Number(process.env.BENCH_CALLS ?? 2000), 16);
}
