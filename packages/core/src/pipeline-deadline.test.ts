import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Bot, Channel } from './contracts.js';
import { createContext, ctxGet, ContextType, type Context } from './context.js';
import { REPLY_DEADLINE } from './pipeline.js';
import { definePlugin } from './plugin.js';
import { textReply, type Reply } from './reply.js';
import { createTestApp } from './testing/index.js';

const text = (content: string, senderId = 'alice') =>
  createContext({ type: ContextType.TEXT, content, channel: 'recording', senderId });

/** A channel whose active send takes `ms`, as a WeCom API call does: a reply can be under way when the deadline fires. */
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

const repliesTo = (sent: Array<{ reply: Reply; context: Context }>, context: Context) =>
  sent.filter((s) => s.context === context).map((s) => s.reply.content);

describe('ChatPipeline deadline', () => {
  it('a bot that never answers times out with the error reply and frees the session', async () => {
    const app = createTestApp({ reply_timeout_seconds: 0.05, error_reply: 'timed out' });
    app.useBot({ name: 'silent', reply: () => new Promise(() => {}) });
    await app.pipeline.handle(text('first'));
    app.config.bot_type = 'echo';
    await app.pipeline.handle(text('second'));
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['timed out', 'second']);
  });

  it('a plugin hook that never settles times out too: error reply, and the session answers again', async () => {
    const app = createTestApp({ reply_timeout_seconds: 0.05, error_reply: 'timed out' });
    let hang = true;
    await app.plugins.add(definePlugin({ name: 'stuck', onHandleContext: () => (hang ? ((hang = false), new Promise<undefined>(() => {})) : undefined) }));
    await app.pipeline.handle(text('first'));
    await app.pipeline.handle(text('second'));
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['timed out', 'second']);
    expect(app.logLines.some((l) => l.includes('reply_timeout_seconds'))).toBe(true);
  });

  it('a reply that finishes after the timeout is dropped, not sent after the error reply', async () => {
    const app = createTestApp({ reply_timeout_seconds: 0.05, error_reply: 'timed out' });
    let late: (() => void) | undefined;
    await app.plugins.add(definePlugin({ name: 'slow', onReceiveMessage: () => new Promise<undefined>((resolve) => (late = () => resolve(undefined))) }));
    await app.pipeline.handle(text('slow one'));
    late?.();
    await new Promise((r) => setTimeout(r, 30));
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['timed out']);
  });

  it('tells the bot when it will give up (REPLY_DEADLINE), counted from when handling began', async () => {
    const app = createTestApp({ reply_timeout_seconds: 30 });
    let seen: number | undefined;
    app.useBot({ name: 'peek', reply: async (c) => ((seen = ctxGet(c, REPLY_DEADLINE)), textReply('ok')) });
    const before = Date.now();
    await app.pipeline.handle(text('when?'));
    expect(seen).toBeGreaterThanOrEqual(before + 30_000);
    expect(seen).toBeLessThanOrEqual(Date.now() + 30_000);
  });

  it('a reply still being sent when the deadline fires is the only reply: no error reply follows, nothing after it', async () => {
    // The send takes three times the deadline: the time limit fires while it is under way.
    const channel = new SlowChannel(300);
    const app = createTestApp({ reply_timeout_seconds: 0.1, error_reply: 'timed out' }, { channel });
    await app.plugins.add(
      definePlugin({
        name: 'two-parts',
        async onDecorateReply(e) {
          await e.send(textReply('part 1'));
          e.reply = textReply('part 2');
        },
      }),
    );
    const message = text('hi');
    await app.pipeline.handle(message);
    await delay(30);
    expect(repliesTo(channel.sent, message)).toEqual(['part 1']);
  });

  it('sends exactly one reply per message when answers land around the deadline, many at once', async () => {
    const channel = new SlowChannel(30);
    const app = createTestApp({ reply_timeout_seconds: 0.1, error_reply: 'timed out', max_concurrent_bot_calls: 100 }, { channel });
    // How long before its deadline each answer comes (negative: after it; undefined: never).
    const early = [25, 10, 5, 2, 0, -3, undefined];
    const bot: Bot = {
      name: 'at-the-deadline',
      async reply(context) {
        const offset = early[Number(context.content.slice(1)) % early.length];
        if (offset === undefined) return new Promise<Reply>(() => {});
        await delay(Math.max(0, ctxGet(context, REPLY_DEADLINE)! - Date.now() - offset));
        return textReply(`re:${context.content}`);
      },
    };
    app.useBot(bot);
    const messages = Array.from({ length: 70 }, (_, i) => text(`m${i}`, `user${i}`));
    await Promise.all(messages.map((m) => app.pipeline.handle(m)));
    // Late answers are still arriving: give them the chance to be (wrongly) sent.
    await delay(60);
    for (const message of messages) {
      const replies = repliesTo(channel.sent, message);
      expect(replies, message.content).toHaveLength(1);
      expect(['timed out', `re:${message.content}`]).toContain(replies[0]);
    }
  });
});

describe('ChatPipeline bot slots and time left', () => {
  it('does not call the bot for a message whose time ran out while it waited for a bot slot', async () => {
    const app = createTestApp({ reply_timeout_seconds: 0.1, error_reply: 'timed out', max_concurrent_bot_calls: 1 });
    let calls = 0;
    // Slower than the deadline: the first call holds the only slot until every message's time is up.
    app.useBot({ name: 'slow', reply: () => (calls++, new Promise<Reply>(() => {})) });
    const burst = Array.from({ length: 20 }, (_, i) => text(`q${i}`, `user${i}`));
    await Promise.all(burst.map((m) => app.pipeline.handle(m)));
    // The queued calls start as the slot frees: let them run (or not).
    await delay(50);
    expect(calls).toBe(1);
    for (const message of burst) expect(repliesTo(app.recorder.sent, message), message.content).toEqual(['timed out']);
  });

  it('still calls the bot for a message that waited for a slot but has time left', async () => {
    const app = createTestApp({ reply_timeout_seconds: 10, max_concurrent_bot_calls: 1 });
    const order: string[] = [];
    app.useBot({ name: 'quick', reply: async (c) => (order.push(c.content), await delay(5), textReply(`re:${c.content}`)) });
    const burst = Array.from({ length: 5 }, (_, i) => text(`q${i}`, `user${i}`));
    await Promise.all(burst.map((m) => app.pipeline.handle(m)));
    expect(order).toEqual(['q0', 'q1', 'q2', 'q3', 'q4']);
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['re:q0', 're:q1', 're:q2', 're:q3', 're:q4']);
  });
});
