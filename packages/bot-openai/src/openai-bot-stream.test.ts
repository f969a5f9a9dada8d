import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOpenAI } from './testing/index.js';
import { message, openaiTestApp } from './testing/test-app.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('OpenAIBot.streamReply', () => {
  it('passes the answer on as it streams (cumulative, line breaks kept), returns it whole, and remembers it', async () => {
    const app = await openaiTestApp();
    fake = app.fake;
    const bot = app.bridge.bot;
    fake.setResponse('chat', { content: '第一点\n第二点\n\n完', chunks: ['第一点', '\n第二', '点\n\n', '完'] });
    const seen: string[] = [];
    const reply = await bot.streamReply!(message('列出要点'), (soFar) => seen.push(soFar));
    expect(seen).toEqual(['第一点', '第一点\n第二', '第一点\n第二点\n\n', '第一点\n第二点\n\n完']);
    expect(reply).toEqual({ type: 'TEXT', content: '第一点\n第二点\n\n完' });
    expect(fake.requestsTo('chat')[0]!.json.stream).toBe(true);
    // The streamed turn is in the history like any other.
    await bot.reply(message('再说一遍'));
    expect(fake.requestsTo('chat')[1]!.json.messages.map((m: { content: string }) => m.content)).toContain('第一点\n第二点\n\n完');
  });

  it('a stream cut off mid-answer is a failure, not a short answer: the user gets the error message', async () => {
    const app = await openaiTestApp({ request_timeout: 0.3, max_retries: 0 });
    fake = app.fake;
    fake.setResponse('chat', { content: 'never finished', chunks: ['never ', 'finished'], stall: true });
    const seen: string[] = [];
    const reply = await app.bridge.bot.streamReply!(message('hello'), (soFar) => seen.push(soFar));
    expect(reply.type).toBe('ERROR');
    expect(seen).toEqual(['never ']);
  });
});
