import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI, type FakeRequest } from '@wecom-bot/bot-openai/testing';
import { post, readEvents, SECRET } from '../../../../examples/integrations/http-json/src/testing.js';
import { serve, type Serving } from '../testing/serve.js';

const httpJson = fileURLToPath(new URL('../../../../examples/integrations/http-json', import.meta.url));
const API_KEY = 'sk-e2e-http-json-5kQ2vN8xL1';

type ChatMessage = { role: string; content: string };
const messagesOf = (request: FakeRequest) => request.json.messages as ChatMessage[];
const lastQuestion = (request: FakeRequest) => messagesOf(request).at(-1)!.content;

let openai: FakeOpenAI | undefined;
let running: Serving | undefined;
afterEach(async () => {
  await running?.stop();
  await openai?.close();
  running = openai = undefined;
});

/** `wecom-bot start` with the user's http-json channel in front of the OpenAI bot (a fake on loopback). */
async function start(answer: (question: string) => { content: string; chunks?: string[]; chunkDelayMs?: number; delayMs?: number }) {
  openai = await startFakeOpenAI({ apiKey: API_KEY, handlers: { chat: (request) => answer(lastQuestion(request)) } });
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-http-json-'));
  const config = { integrations: [httpJson], channel_type: 'http_json', http_json_host: '127.0.0.1', http_json_port: 0, http_json_secret: SECRET };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, bot_type: 'openai', open_ai_api_key: API_KEY, open_ai_api_base: openai.baseURL, data_dir: join(dir, 'data') }));
  running = await serve(dir, /http-json channel listening/);
  return { url: `http://127.0.0.1:${String(running.ready.port)}/chat`, openai, running };
}

// Each test starts the real CLI (a few seconds on a busy machine) before it talks to it.
describe('a user channel in front of the OpenAI bot, through the real CLI', { timeout: 60_000 }, () => {
  it('streams the model’s answer as server-sent events while it is written', async () => {
    const { url } = await start(() => ({ content: 'Hello from the model, streamed.', chunks: ['Hello', ' from the model,', ' streamed.'], chunkDelayMs: 150 }));
    const events = await readEvents(await post(url, { user: 'alice', text: 'hi' }, { accept: 'text/event-stream' }));
    const texts = events.filter((e) => e.event === 'text').map((e) => (e.data as { text: string }).text);
    expect(texts.length).toBeGreaterThanOrEqual(2); // the answer grew in front of the client
    texts.forEach((text, i) => expect(texts[i + 1] ?? 'Hello from the model, streamed.').toContain(text));
    expect(events.slice(-2)).toEqual([
      { event: 'reply', data: { type: 'TEXT', content: 'Hello from the model, streamed.' } },
      { event: 'done', data: {} },
    ]);
  });

  it('answers concurrent requests, one user’s in order (each turn sees the last), other users in parallel', async () => {
    const { url, openai: fake, running: bot } = await start((question) => ({ content: `answer to ${question}`, delayMs: question === 'a1' ? 3000 : 0 }));
    const received = () => bot.output().split('\n').filter((l) => l.includes('message received')).length;
    const a1 = post(url, { user: 'alice', text: 'a1' });
    await expect.poll(received, { timeout: 5000, interval: 10 }).toBe(1);
    const a2 = post(url, { user: 'alice', text: 'a2' });
    await expect.poll(received, { timeout: 5000, interval: 10 }).toBe(2);
    const a3 = post(url, { user: 'alice', text: 'a3' });
    await expect.poll(received, { timeout: 5000, interval: 10 }).toBe(3);
    const b1 = await post(url, { user: 'bob', text: 'b1' });
    expect(await b1.json()).toMatchObject({ text: 'answer to b1' });

    const texts = await Promise.all([a1, a2, a3].map(async (r) => ((await (await r).json()) as { text: string }).text));
    expect(texts).toEqual(['answer to a1', 'answer to a2', 'answer to a3']);
    const chats = fake.requestsTo('chat');
    // Bob was asked while alice's first question was still with the model.
    expect(chats.map(lastQuestion)).toEqual(['a1', 'b1', 'a2', 'a3']);
    // Each of alice's turns went to the model after the one before had been answered and remembered.
    const history = (question: string) => messagesOf(chats.find((c) => lastQuestion(c) === question)!).filter((m) => m.role !== 'system').map((m) => m.content);
    expect(history('a3')).toEqual(['a1', 'answer to a1', 'a2', 'answer to a2', 'a3']);
    expect(history('b1')).toEqual(['b1']);
  });
});
