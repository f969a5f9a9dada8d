/**
 * OpenAI bot costs of its own (the API's time excluded): loading a tokenizer, building a
 * token-trimmed prompt from a long history, and whole chat turns against the loopback fake
 * OpenAI server, with the heap the stored histories hold. Run: pnpm exec tsx bench/openai-bot.ts
 */
import { createContext } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import { openaiIntegration } from '../packages/bot-openai/src/index.js';
import { startFakeOpenAI } from '../packages/bot-openai/src/testing/index.js';
import { tokenCounterFor } from '../packages/bot-openai/src/session/tokenizer.js';
import { buildPrompt, countedTurn } from '../packages/bot-openai/src/session/trim.js';

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

await tokenizerLoad('gpt-4o');
await tokenizerLoad('deepseek-chat');
await trimming(200, 2500);
await trimming(200, 8000);
await longRun(700);
await longRun(4000);
await chatTurns(4000, 400, 16);
