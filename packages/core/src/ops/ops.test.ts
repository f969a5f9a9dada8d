import { afterEach, describe, expect, it } from 'vitest';
import { createContext, ContextType } from '../context.js';
import type { Bot } from '../contracts.js';
import { textReply } from '../reply.js';
import { createMemoryStores } from '../store/memory.js';
import { createTestApp, parsePrometheusText, promValue, RecordingChannel } from '../testing/index.js';
import type { OpsServer } from './http.js';

const servers: OpsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function opsServer(app: { ops: { listen(o: { port: number; host: string }): Promise<OpsServer> } }): Promise<string> {
  const server = await app.ops.listen({ port: 0, host: '127.0.0.1' });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

const message = (content: string, messageId: string, senderId = 'alice') => createContext({ type: ContextType.TEXT, content, channel: 'recording', senderId, messageId });

async function scrape(base: string) {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

/** The pipeline's one line per reply, parsed. */
function replyLines(logLines: string[]): Array<Record<string, unknown>> {
  return logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => typeof l['outcome'] === 'string');
}

describe('the ops endpoints', () => {
  it('/healthz answers while the process runs; /readyz is 503 naming the channel until it is ready', async () => {
    const app = createTestApp();
    const base = await opsServer(app);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });

    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({
      status: 'not ready',
      ready: false,
      checks: { channel: { ready: false, detail: 'not started' }, store: { ready: true, detail: 'memory answers' } },
    });
    // What a channel says once it takes messages.
    app.ops.readiness.state('channel', true, 'listening on port 1234');
    const after = await fetch(`${base}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ready', checks: { channel: { ready: true, detail: 'listening on port 1234' } } });

    const unknown = await fetch(`${base}/wxcomapp`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'unknown path', paths: ['/healthz', '/readyz', '/metrics'] });
  });

  it('/readyz is 503 naming the store when it does not answer, without the secret in its error', async () => {
    const stores = createMemoryStores();
    stores.settings.get = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379 (password redis-Pa55word-x9)'));
    const app = createTestApp({}, { stores });
    app.secrets.add('redis-Pa55word-x9');
    app.ops.readiness.state('channel', true, 'started');
    const base = await opsServer(app);
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: { store: { ready: boolean; detail: string } } };
    expect(body.checks.store.ready).toBe(false);
    expect(body.checks.store.detail).toContain('ECONNREFUSED');
    expect(body.checks.store.detail).not.toContain('redis-Pa55word-x9');
  });

  it('two apps in one process keep their own counts, and /metrics has the process metrics', async () => {
    const [a, b] = [createTestApp(), createTestApp()];
    await a.pipeline.handle(message('one', 'a-1'));
    await a.pipeline.handle(message('two', 'a-2'));
    await b.pipeline.handle(message('three', 'b-1'));
    // The process CPU is the process's whole, not what it used since the first scrape.
    const cpuBefore = process.cpuUsage();
    const [sa, sb] = [await scrape(await opsServer(a)), await scrape(await opsServer(b))];
    expect(promValue(sa, 'wecom_bot_replies_total', { channel: 'recording', type: 'TEXT', outcome: 'sent' })).toBe(2);
    expect(promValue(sb, 'wecom_bot_replies_total', { channel: 'recording', type: 'TEXT', outcome: 'sent' })).toBe(1);
    expect(promValue(sa, 'wecom_bot_bot_latency_seconds_count')).toBe(2);
    expect(promValue(sa, 'process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(cpuBefore.user / 1e6);
    expect(promValue(sa, 'process_cpu_seconds_total')).toBeGreaterThanOrEqual((cpuBefore.user + cpuBefore.system) / 1e6);
    expect(sa.some((s) => s.name === 'nodejs_heap_size_used_bytes')).toBe(true);
  });
});

describe('each reply: one log line and its counts', () => {
  it('a sent reply: message id, session, sender, latency, type and outcome in one line', async () => {
    const app = createTestApp();
    await app.pipeline.handle(message('hello', 'msg-42'));
    const lines = replyLines(app.logLines);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'reply sent', msgId: 'msg-42', session: 'recording:alice', sender: 'alice', reply: 'TEXT', outcome: 'sent', via: 'send' });
    expect(lines[0]!['latencyMs']).toEqual(expect.any(Number));
  });

  it('a send the platform refuses: an error line, the reply counted failed, the errcode counted, kept for #status', async () => {
    class RefusingChannel extends RecordingChannel {
      override async send(): Promise<void> {
        throw Object.assign(new Error('WeCom message/send failed (errcode 45009: api freq out of limit)'), { errcode: 45009 });
      }
    }
    const app = createTestApp({}, { channel: new RefusingChannel() });
    const base = await opsServer(app);
    await app.pipeline.handle(message('hello', 'msg-7'));
    const [line] = replyLines(app.logLines);
    expect(line).toMatchObject({ msg: 'reply failed: the channel could not send it', msgId: 'msg-7', outcome: 'failed' });
    expect(['error', 50]).toContain(line!['level']);
    const samples = await scrape(base);
    expect(promValue(samples, 'wecom_bot_replies_total', { outcome: 'failed' })).toBe(1);
    expect(promValue(samples, 'wecom_bot_send_errors_total', { channel: 'recording', errcode: '45009' })).toBe(1);
    expect(app.ops.recentErrors.last().map((e) => e.text)).toEqual(['recording: WeCom message/send failed (errcode 45009: api freq out of limit)']);
  });

  it('a bot that fails: the error reply counted as error_reply, its cause kept without the secret it quoted', async () => {
    const app = createTestApp();
    app.secrets.add('sk-live-Qw3rTy7u');
    app.useBot({ name: 'broken', reply: () => Promise.reject(new Error('401 Incorrect API key sk-live-Qw3rTy7u')) } satisfies Bot);
    const base = await opsServer(app);
    await app.pipeline.handle(message('hello', 'msg-9'));
    expect(replyLines(app.logLines)).toMatchObject([{ msgId: 'msg-9', reply: 'ERROR', outcome: 'error_reply' }]);
    expect(promValue(await scrape(base), 'wecom_bot_replies_total', { type: 'ERROR', outcome: 'error_reply' })).toBe(1);
    const [kept] = app.ops.recentErrors.last();
    expect(kept!.text).toContain('the bot failed: 401 Incorrect API key');
    expect(kept!.text).not.toContain('sk-live-Qw3rTy7u');
  });

  it('the queue depth shows messages still being answered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const app = createTestApp();
    app.useBot({ name: 'slow', reply: async (c) => (await gate, textReply(c.content)) } satisfies Bot);
    const base = await opsServer(app);
    const first = app.pipeline.handle(message('one', 'q-1', 'alice'));
    const second = app.pipeline.handle(message('two', 'q-2', 'bob'));
    expect(promValue(await scrape(base), 'wecom_bot_queue_depth')).toBe(2);
    release();
    await Promise.all([first, second]);
    expect(promValue(await scrape(base), 'wecom_bot_queue_depth')).toBe(0);
  });
});
