// The core's own cost per message: the pipeline with four no-op plugins and the echo bot,
// many sessions at once. Prints messages per second and heap held per idle session.
import { createContext, ContextType, definePlugin } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';

const MESSAGES = 100_000;
const SESSIONS = 2_000;

const app = createTestApp({ log_level: 'warn', max_concurrent_bot_calls: 64 });
for (let i = 0; i < 4; i++) {
  await app.plugins.add(definePlugin({ name: `noop${i}`, priority: i, onReceiveMessage: () => {}, onHandleContext: () => {}, onDecorateReply: () => {}, onSendReply: () => {} }));
}
app.recorder.sent.length = 0;
const message = (i: number) =>
  createContext({ type: ContextType.TEXT, content: `message ${i}`, channel: 'recording', senderId: `user${i % SESSIONS}` });

// Warm-up, then the measured run.
await Promise.all(Array.from({ length: 5_000 }, (_, i) => app.pipeline.handle(message(i))));
app.recorder.sent.length = 0;
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const start = process.hrtime.bigint();
const batch = 1_000;
for (let sent = 0; sent < MESSAGES; sent += batch) {
  await Promise.all(Array.from({ length: batch }, (_, i) => app.pipeline.handle(message(sent + i))));
  app.recorder.sent.length = 0;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

console.log(`pipeline: ${MESSAGES} messages over ${SESSIONS} sessions, 4 plugins, echo bot`);
console.log(`  throughput  ${Math.round(MESSAGES / seconds).toLocaleString('en')} messages/s (${((seconds / MESSAGES) * 1e6).toFixed(1)} µs each)`);
console.log(`  heap change ${((heapAfter - heapBefore) / 1024 / 1024).toFixed(2)} MiB after the run (session queues are dropped when idle: ${app.pipeline.pending} pending)`);
