import { setTimeout as delay } from 'node:timers/promises';
import { ctxSet, REPLY_DEADLINE, type Channel, type Context, type Reply } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiIntegration } from './integration.js';
import { startFakeOpenAI, type FakeOpenAI } from './testing/index.js';
import { message, openaiTestApp, TEST_KEY } from './testing/test-app.js';

const TIMEOUT = '回答超时了，请稍后再试。';
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A channel whose active send takes `ms`, as WeCom's API does: the bot's own reply is still being sent at the deadline. */
class SlowChannel implements Channel {
  readonly name = 'slow';
  readonly sent: Array<{ reply: Reply; context: Context }> = [];
  constructor(private readonly ms: number) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(reply: Reply, context: Context): Promise<void> {
    this.sent.push({ reply, context });
    await delay(this.ms);
  }
}

describe('OpenAIBot deadline', () => {
  it('does not call the model when the deadline leaves no time for a useful request', async () => {
    const app = await openaiTestApp({ reply_timeout_seconds: 60, request_timeout: 10, max_retries: 0 });
    fake = app.fake;
    const bot = app.bridge.bot;
    // The pipeline gives up 120 ms from now and the bot a little earlier: too late to ask.
    const nearDeadline = (content: string, type?: 'IMAGE_CREATE') => {
      const late = message(content, undefined, type);
      ctxSet(late, REPLY_DEADLINE, Date.now() + 120);
      return late;
    };
    expect((await bot.reply(message('in time'))).content).toBe('echo: in time');
    // The model answers at once, but a request with less than a useful minimum left is not started.
    expect(await bot.reply(nearDeadline('too late'))).toEqual({ type: 'ERROR', content: TIMEOUT });
    expect(await bot.reply(nearDeadline('a cat', 'IMAGE_CREATE'))).toEqual({ type: 'ERROR', content: TIMEOUT });
    expect(fake.requests.map((r) => r.route)).toEqual(['chat']);
  });

  it('a hung model gives every user exactly one reply: its own timeout message or the error reply, never both', async () => {
    fake = await startFakeOpenAI({ handlers: { chat: () => ({ delayMs: 10_000, content: 'never in time' }) } });
    // Sends outlast the bot's head start on the deadline, so its reply is still going out when the pipeline's limit fires.
    const channel = new SlowChannel(250);
    const app = createTestApp(
      {
        bot_type: 'openai', open_ai_api_key: TEST_KEY, open_ai_api_base: fake.baseURL, rate_limit_chatgpt: 0,
        reply_timeout_seconds: 0.4, request_timeout: 10, max_retries: 0, max_concurrent_bot_calls: 40, error_reply: 'pipeline gave up',
      },
      { integrations: [openaiIntegration], channel },
    );
    // One answer first, so the tokenizer and the connection are ready before the burst.
    fake.setResponse('chat', { content: 'warm' });
    await app.pipeline.handle(message('warm-up', 'slow:u0'));
    const users = Array.from({ length: 40 }, (_, i) => message(`q${i}`, `slow:u${i + 1}`));
    await Promise.all(users.map((m) => app.pipeline.handle(m)));
    await delay(50);
    for (const user of users) {
      const replies = channel.sent.filter((s) => s.context === user).map((s) => s.reply.content);
      expect(replies, user.sessionId).toHaveLength(1);
      expect([TIMEOUT, 'pipeline gave up']).toContain(replies[0]);
    }
  });
});
