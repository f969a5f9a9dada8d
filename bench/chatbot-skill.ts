/**
 * Dialogue platform channel: loopback throughput and latency of mode 1 (encrypted, signed
 * skill requests answered by the echo-like PrefixBot), and the heap the in-memory pending
 * answers take. Run: pnpm exec tsx bench/chatbot-skill.ts
 */
import { PendingAnswers } from '../packages/channel-wechat-chatbot/src/pending-answers.js';
import { skillBody, startChatbot } from '../packages/channel-wechat-chatbot/src/testing/index.js';

async function loopback(total: number, concurrency: number): Promise<void> {
  const started = await startChatbot({ log_level: 'warn' });
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < total) {
        const i = next++;
        const body = skillBody({ Query: `问题 ${i}`, UserId: `user-${worker}-${i % 50}` });
        const start = performance.now();
        const res = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body });
        await res.text();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await started.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!.toFixed(2);
  console.log(`skill API, ${total} requests, ${concurrency} concurrent: ${(total / seconds).toFixed(0)} req/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms`);
}

async function pendingMemory(users: number, answerBytes: number): Promise<void> {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  // The default (memory) pending store; disk and Redis keep the same answers outside the heap.
  const pending = new PendingAnswers();
  const answer = 'x'.repeat(answerBytes);
  const t0 = performance.now();
  for (let i = 0; i < users * 2; i++) await pending.add(`skill:user-${i % users}`, `${answer}${i}`);
  const addMs = performance.now() - t0;
  globalThis.gc?.();
  const mb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  console.log(`PendingAnswers: ${users * 2} adds for ${users} users in ${addMs.toFixed(0)} ms (${((users * 2) / addMs).toFixed(0)}/ms), ~${mb.toFixed(1)} MB heap for ${answerBytes}-byte answers`);
}

await loopback(2000, 20);
await pendingMemory(10_000, 1000);
