import { describe, expect, it } from 'vitest';
import { createContext, ContextType, type Context } from './context.js';
import { Action, definePlugin, type HookName } from './plugin.js';
import { createTestApp } from './testing/index.js';
import type { Bot } from './contracts.js';
import { textReply } from './reply.js';

const text = (content: string, senderId = 'alice') =>
  createContext({ type: ContextType.TEXT, content, channel: 'recording', senderId });

describe('ChatPipeline hooks', () => {
  it('runs the four hooks in order, plugins by priority, then sends the bot reply', async () => {
    const app = createTestApp();
    const calls: string[] = [];
    const tracer = (name: string, priority: number) =>
      definePlugin({
        name,
        priority,
        onReceiveMessage: () => void calls.push(`${name}:receive`),
        onHandleContext: () => void calls.push(`${name}:handle`),
        onDecorateReply: (e) => {
          calls.push(`${name}:decorate`);
          if (e.reply?.type === 'TEXT') e.reply = textReply(`${e.reply.content} [${name}]`);
        },
        onSendReply: () => void calls.push(`${name}:send`),
      });
    await app.plugins.add(tracer('low', 1));
    await app.plugins.add(tracer('high', 10));
    await app.pipeline.handle(text('hello'));
    expect(calls).toEqual([
      'high:receive', 'low:receive',
      'high:handle', 'low:handle',
      'high:decorate', 'low:decorate',
      'high:send', 'low:send',
    ]);
    expect(app.recorder.sent.map((s) => s.reply)).toEqual([{ type: 'TEXT', content: 'hello [high] [low]' }]);
  });

  it('BREAK stops the other plugins but keeps the default handling (the bot answers)', async () => {
    const app = createTestApp();
    const seen: string[] = [];
    await app.plugins.add(definePlugin({ name: 'breaker', priority: 5, onHandleContext: () => Action.BREAK }));
    await app.plugins.add(definePlugin({ name: 'after', priority: 1, onHandleContext: () => void seen.push('after') }));
    await app.pipeline.handle(text('still answered'));
    expect(seen).toEqual([]);
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['still answered']);
  });

  it('BREAK_PASS with a reply skips the bot and sends the plugin reply', async () => {
    const app = createTestApp();
    let botCalls = 0;
    app.useBot({ name: 'counting', reply: async () => (botCalls++, textReply('bot')) });
    await app.plugins.add(
      definePlugin({ name: 'instant', onHandleContext: (e) => ((e.reply = textReply('from plugin')), Action.BREAK_PASS) }),
    );
    await app.pipeline.handle(text('hi'));
    expect(botCalls).toBe(0);
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['from plugin']);
  });

  it.each<HookName>(['onReceiveMessage', 'onHandleContext', 'onDecorateReply', 'onSendReply'])(
    'BREAK_PASS in %s sends nothing, and the next message is answered again',
    async (hook) => {
      const app = createTestApp();
      let dropNext = true;
      await app.plugins.add(definePlugin({ name: 'dropper', [hook]: () => (dropNext ? ((dropNext = false), Action.BREAK_PASS) : undefined) }));
      await app.pipeline.handle(text('dropped'));
      await app.pipeline.handle(text('answered'));
      expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['answered']);
    },
  );

  it('an extra reply a plugin sends goes through the send stage (onSendReply) before the main one', async () => {
    const app = createTestApp();
    await app.plugins.add(
      definePlugin({
        name: 'splitter',
        priority: 10,
        async onDecorateReply(e) {
          await e.send(textReply('part 1'));
          e.reply = textReply('part 2');
        },
      }),
    );
    await app.plugins.add(
      definePlugin({
        name: 'stamper',
        priority: 1,
        onSendReply: (e) => {
          if (e.reply?.type === 'TEXT') e.reply = textReply(`${e.reply.content} ✓`);
        },
      }),
    );
    await app.pipeline.handle(text('hi'));
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['part 1 ✓', 'part 2 ✓']);
  });

  it('a throwing plugin is logged by name and skipped; the message is still answered', async () => {
    const app = createTestApp();
    await app.plugins.add(
      definePlugin({
        name: 'broken',
        onHandleContext: () => {
          throw new Error('boom');
        },
      }),
    );
    await app.pipeline.handle(text('survives'));
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['survives']);
    expect(app.logLines.some((l) => l.includes('plugin broken failed in onHandleContext'))).toBe(true);
  });
});

describe('ChatPipeline concurrency', () => {
  /** A bot whose answers finish when the test says so, recording start order. */
  function gatedBot() {
    const started: string[] = [];
    const gates = new Map<string, () => void>();
    let active = 0;
    let maxActive = 0;
    const bot: Bot = {
      name: 'gated',
      async reply(context: Context) {
        started.push(context.content);
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => gates.set(context.content, resolve));
        active -= 1;
        if (context.content.startsWith('fail')) throw new Error('upstream 500');
        return textReply(`re:${context.content}`);
      },
    };
    const open = async (content: string) => {
      for (let i = 0; i < 100 && !gates.has(content); i++) await new Promise((r) => setTimeout(r, 5));
      gates.get(content)?.();
    };
    return { bot, started, open, maxActive: () => maxActive };
  }

  it('answers one session in order and other sessions in parallel', async () => {
    const app = createTestApp();
    const gated = gatedBot();
    app.useBot(gated.bot);
    const a1 = app.pipeline.handle(text('a1', 'alice'));
    const a2 = app.pipeline.handle(text('a2', 'alice'));
    const b1 = app.pipeline.handle(text('b1', 'bob'));
    await new Promise((r) => setTimeout(r, 30));
    // alice's second message waits for her first; bob does not wait for alice.
    expect(gated.started).toEqual(['a1', 'b1']);
    await gated.open('b1');
    await b1;
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['re:b1']);
    await gated.open('a1');
    await gated.open('a2');
    await Promise.all([a1, a2]);
    expect(app.recorder.sent.map((s) => s.reply.content)).toEqual(['re:b1', 're:a1', 're:a2']);
  });

  it('holds bot calls to max_concurrent_bot_calls across sessions', async () => {
    const app = createTestApp({ max_concurrent_bot_calls: 2 });
    const gated = gatedBot();
    app.useBot(gated.bot);
    const users = ['u1', 'u2', 'u3', 'u4'];
    const all = users.map((u) => app.pipeline.handle(text(`m-${u}`, u)));
    await new Promise((r) => setTimeout(r, 30));
    expect(gated.started).toHaveLength(2);
    for (const u of users) await gated.open(`m-${u}`);
    await Promise.all(all);
    expect(gated.maxActive()).toBe(2);
    expect(app.recorder.sent).toHaveLength(4);
  });

  it('a failing bot call gives that user the error reply and does not affect another session', async () => {
    const app = createTestApp({ error_reply: 'sorry, try later' });
    const gated = gatedBot();
    app.useBot(gated.bot);
    const failing = app.pipeline.handle(text('fail-1', 'alice'));
    const fine = app.pipeline.handle(text('ok-1', 'bob'));
    const next = app.pipeline.handle(text('ok-2', 'alice'));
    await gated.open('fail-1');
    await gated.open('ok-1');
    await gated.open('ok-2');
    await Promise.all([failing, fine, next]);
    const byUser = (u: string) => app.recorder.sent.filter((s) => s.context.senderId === u).map((s) => s.reply);
    expect(byUser('alice')).toEqual([{ type: 'ERROR', content: 'sorry, try later' }, { type: 'TEXT', content: 're:ok-2' }]);
    expect(byUser('bob')).toEqual([{ type: 'TEXT', content: 're:ok-1' }]);
  });
});
