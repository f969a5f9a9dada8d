import { setTimeout as sleep } from 'node:timers/promises';
import { textReply, type Bot, type Context } from '@wecom-bot/core';
import { createMemoryStores } from '@wecom-bot/core/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_SECRET, isFinal, startWsBot, stopAll, streamFrames, textMessage } from './testing/index.js';

afterEach(stopAll);

/** Answers "答：<question>" after `delayMs`, remembering what it was asked. */
function answeringBot(delayMs = 0): Bot & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'answering',
    asked,
    async reply(context: Context) {
      asked.push(context.content);
      await sleep(delayMs);
      return textReply(`答：${context.content}`);
    },
  };
}

describe('AI bot over the long connection', () => {
  it('answers a single chat in the message bubble: the placeholder at once, then the answer, finished', async () => {
    const h = await startWsBot(answeringBot());
    const reqId = h.server.pushMessage(textMessage('今天几号'));
    await h.server.waitForFrames(isFinal(reqId));
    expect(streamFrames(h.server, reqId)).toEqual([
      { content: '思考中…', finish: false },
      { content: '答：今天几号', finish: true },
    ]);
    expect(h.server.framesOf('aibot_send_msg')).toEqual([]);
  });

  it('strips the mention in a group ("@大黄你好", no space) and answers there', async () => {
    const bot = answeringBot();
    const h = await startWsBot(bot, { wecom_bot_name: '大黄' });
    const reqId = h.server.pushMessage(textMessage('@大黄你好', { chattype: 'group', chatid: 'wrGROUP1' }));
    await h.server.waitForFrames(isFinal(reqId));
    expect(bot.asked).toEqual(['你好']);
    expect(streamFrames(h.server, reqId).at(-1)).toEqual({ content: '答：你好', finish: true });
  });

  it("handles WeCom's repeated delivery of one msgid once", async () => {
    const bot = answeringBot(100);
    const h = await startWsBot(bot);
    const message = textMessage('只问一次');
    const first = h.server.pushMessage(message);
    const again = h.server.pushMessage(message);
    await h.server.waitForFrames(isFinal(first));
    await sleep(200);
    expect(bot.asked).toEqual(['只问一次']);
    expect(streamFrames(h.server, again)).toEqual([]);
  });

  it('an answer slower than the stream window closes the bubble with a pointer and arrives once by aibot_send_msg', async () => {
    const h = await startWsBot(answeringBot(700), { wecom_bot_stream_seconds: 0.3 });
    const reqId = h.server.pushMessage(textMessage('写一份长报告', { chattype: 'group', chatid: 'wrGROUP2' }));
    const [sent] = await h.server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    await sleep(200);
    expect(streamFrames(h.server, reqId).at(-1)).toMatchObject({ finish: true, content: expect.stringContaining('单独发送') });
    expect(h.server.framesOf('aibot_send_msg')).toHaveLength(1);
    expect(sent!.body).toEqual({ chatid: 'wrGROUP2', msgtype: 'markdown', markdown: { content: '答：写一份长报告' } });
  });

  it('a stream WeCom says expired (846608) hands the answer to aibot_send_msg, once', async () => {
    const h = await startWsBot(answeringBot(300), {}, { streamExpiryMs: 100 });
    const reqId = h.server.pushMessage(textMessage('慢一点'));
    await h.server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    await sleep(200);
    expect(h.server.framesOf('aibot_send_msg').map((f) => f.body)).toEqual([{ chatid: 'zhangsan', msgtype: 'markdown', markdown: { content: '答：慢一点' } }]);
    expect(streamFrames(h.server, reqId)[0]).toEqual({ content: '思考中…', finish: false });
  });

  it('a socket dropped mid-answer: the answer arrives once after the reconnect, and nothing is handled twice', async () => {
    const bot = answeringBot(400);
    const h = await startWsBot(bot);
    const message = textMessage('断线了吗');
    h.server.pushMessage(message);
    await sleep(100);
    h.server.dropConnections();
    await h.server.waitForSubscriptions(2, 10_000);
    // WeCom delivers the unanswered message again on the new connection.
    h.server.pushMessage(message);
    await h.server.waitForFrames((f) => f.cmd === 'aibot_send_msg', 1, 10_000);
    await sleep(300);
    expect(bot.asked).toEqual(['断线了吗']);
    expect(h.server.framesOf('aibot_send_msg').map((f) => f.body)).toEqual([{ chatid: 'zhangsan', msgtype: 'markdown', markdown: { content: '答：断线了吗' } }]);
  });

  it('welcomes a member who opens the chat (enter_chat), and logs no secret', async () => {
    const h = await startWsBot(answeringBot(), { wecom_bot_welcome: '你好，我是小微。' });
    const reqId = h.server.pushEvent({ msgid: 'ev1', chattype: 'single', from: { userid: 'lisi' }, msgtype: 'event', event: { eventtype: 'enter_chat' } });
    const [welcome] = await h.server.waitForFrames((f) => f.cmd === 'aibot_respond_welcome_msg');
    expect(welcome).toMatchObject({ reqId, body: { msgtype: 'text', text: { content: '你好，我是小微。' } } });
    expect(h.app.logLines.join('\n')).not.toContain(BOT_SECRET);
  });
});

describe('streamed answers', () => {
  /** Writes its answer in pieces, `gapMs` apart, as a model streams. */
  function streamingBot(pieces: string[], gapMs: number): Bot {
    const answer = async (onText?: (soFar: string) => void) => {
      let soFar = '';
      for (const piece of pieces) {
        soFar += piece;
        onText?.(soFar);
        await sleep(gapMs);
      }
      return textReply(soFar);
    };
    return { name: 'streaming', reply: () => answer(), streamReply: (_context, onText) => answer(onText) };
  }

  it('shows the answer growing: cumulative frames in order, line breaks intact, throttled, then the whole answer', async () => {
    const pieces = ['第一行', '\n', '第二行\n\n', '- 要点一', '\n- 要点二', '\n\n', '结束。'];
    const h = await startWsBot(streamingBot(pieces, 80), { wecom_bot_stream_interval_ms: 100 });
    const reqId = h.server.pushMessage(textMessage('列两个要点'));
    await h.server.waitForFrames(isFinal(reqId));
    const frames = streamFrames(h.server, reqId);
    const whole = pieces.join('');
    expect(frames[0]).toEqual({ content: '思考中…', finish: false });
    expect(frames.at(-1)).toEqual({ content: whole, finish: true });
    const growing = frames.slice(1, -1).map((f) => f.content);
    expect(growing.length).toBeGreaterThan(1);
    expect(growing.length).toBeLessThan(pieces.length);
    for (const [i, text] of growing.entries()) {
      expect(whole.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(growing[i - 1]!.length);
    }
  });

  it('a plugin sees each frame first (onStreamText): a banned word never shows, and the final answer is decorated as usual', async () => {
    const h = await startWsBot(streamingBot(['机密', '内容：', '代号青龙', '，完毕'], 60), { wecom_bot_stream_interval_ms: 50 });
    await h.app.plugins.add({
      name: 'mask',
      onStreamText: (event) => void (event.streamText = event.streamText?.replaceAll('青龙', '**')),
      onDecorateReply: (event) => void (event.reply = textReply(String(event.reply?.content).replaceAll('青龙', '**'))),
    });
    const reqId = h.server.pushMessage(textMessage('代号是什么'));
    await h.server.waitForFrames(isFinal(reqId));
    const contents = streamFrames(h.server, reqId).map((f) => f.content);
    expect(contents.join('\n')).not.toContain('青龙');
    expect(contents.at(-1)).toBe('机密内容：代号**，完毕');
  });
});

describe('proactive messages', () => {
  it("a plugin's push reaches a group by aibot_send_msg, with no message to answer", async () => {
    const h = await startWsBot(answeringBot());
    await h.app.plugins.host.push({ receiver: 'wrREPORTS', isGroup: true }, textReply('**今日简报**\n- 一切正常'));
    const [sent] = await h.server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    expect(sent!.body).toEqual({ chatid: 'wrREPORTS', msgtype: 'markdown', markdown: { content: '**今日简报**\n- 一切正常' } });
  });
});

describe('several instances sharing the stores', () => {
  it('only one holds the connection; the other stands by, handles nothing twice, and takes over when the holder stops', async () => {
    const stores = createMemoryStores();
    const [firstBot, secondBot] = [answeringBot(), answeringBot()];
    const first = await startWsBot(firstBot, { wecom_bot_failover_seconds: 0.3 }, {}, { stores });
    await startWsBot(secondBot, { wecom_bot_failover_seconds: 0.3 }, {}, { stores, server: first.server });
    await sleep(400);
    expect(first.server.subscriptions).toBe(1);
    const before = first.server.pushMessage(textMessage('谁来回答'));
    await first.server.waitForFrames(isFinal(before));
    await first.channel.stop();
    await first.server.waitForSubscriptions(2, 5000);
    const after = first.server.pushMessage(textMessage('现在呢'));
    const [final] = await first.server.waitForFrames(isFinal(after));
    expect(final!.connection).toBe(2);
    expect(firstBot.asked).toEqual(['谁来回答']);
    expect(secondBot.asked).toEqual(['现在呢']);
  });
});
