import { textReply, type Bot } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { answeringBot, changes, pollUntilFinished, startWebhookBot, stopWebhookBots, streamingBot, streamOf } from './testing/index.js';

// The channel in webhook mode, end to end (PROTOCOLS-AIBOT-KF.md §1.1, §1.4): WeCom is played by
// WecomWebhookClient with real JSON encryption; every answer is decrypted and signature-checked.
afterEach(stopWebhookBots);

describe('AI bot over the webhook: answers in the bubble', () => {
  it('answers a single chat with the placeholder frame, then polls show the whole answer, finished', async () => {
    const bot = answeringBot(true);
    const h = await startWebhookBot(bot);
    const first = streamOf(await h.client.postMessage(h.text('今天几号')));
    expect(first).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), content: '思考中…', finish: false });
    // While the bot works, a poll shows the placeholder, unfinished.
    expect(streamOf(await h.client.refresh(first.id))).toEqual(first);
    bot.release();
    const polls = await pollUntilFinished(h.client, first.id);
    // What the bubble showed, change by change: the placeholder, then the answer.
    expect(changes(polls)).toEqual([first, { id: first.id, content: '答：今天几号', finish: true }].slice(polls[0]!.finish ? 1 : 0));
    // Later polls keep getting the finished frame; nothing went to response_url.
    expect(streamOf(await h.client.refresh(first.id))).toEqual({ id: first.id, content: '答：今天几号', finish: true });
    expect(bot.asked).toEqual(['今天几号']);
    expect(h.host.posts).toEqual([]);
  });

  it('a streaming bot: polls show the text so far, cumulative and in order, line breaks intact, then the whole answer', async () => {
    const pieces = ['第一行', '\n', '第二行\n\n', '- 要点一', '\n- 要点二', '\n\n', '结束。'];
    const whole = pieces.join('');
    const h = await startWebhookBot(streamingBot(pieces, 60));
    const first = streamOf(await h.client.postMessage(h.text('列两个要点')));
    expect(first).toMatchObject({ content: '思考中…', finish: false });
    const shown = changes(await pollUntilFinished(h.client, first.id, 10));
    expect(shown.at(-1)).toEqual({ id: first.id, content: whole, finish: true });
    const growing = shown.slice(0, -1).map((f) => f.content).filter((c) => c !== '思考中…');
    // Several distinct partial texts were seen, each a prefix of the answer and longer than the one before.
    expect(growing.length).toBeGreaterThan(1);
    for (const [i, text] of growing.entries()) {
      expect(whole.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(growing[i - 1]!.length);
    }
    expect(growing.some((text) => text.includes('\n'))).toBe(true);
    expect(shown.slice(0, -1).every((f) => !f.finish)).toBe(true);
  });

  it('an answer longer than 20,480 bytes: the bubble shows what fits, the rest goes once to response_url', async () => {
    const long = `${'长'.repeat(7000)}尾巴`;
    const h = await startWebhookBot({ name: 'long', reply: async () => ({ type: 'TEXT', content: long }) });
    const first = streamOf(await h.client.postMessage(h.text('写长一点')));
    const last = (await pollUntilFinished(h.client, first.id)).at(-1)!;
    await h.host.waitForPosts(1);
    expect(last.finish).toBe(true);
    expect(Buffer.byteLength(last.content)).toBeLessThanOrEqual(20_480);
    expect(h.host.posts.map((p) => p.body)).toEqual([{ msgtype: 'markdown', markdown: { content: long.slice(last.content.length) } }]);
    expect(last.content + long.slice(last.content.length)).toBe(long);
  });
});

describe('answers without text', () => {
  it('an empty answer closes the bubble with a notice, not an empty frame', async () => {
    const h = await startWebhookBot({ name: 'empty', reply: async () => textReply('') });
    const first = streamOf(await h.client.postMessage(h.text('说点什么')));
    expect((await pollUntilFinished(h.client, first.id)).at(-1)).toEqual({ id: first.id, content: '（没有文字回复。）', finish: true });
  });

  it('a blank final answer after streamed text does not wipe the bubble', async () => {
    const streaming = streamingBot(['已经写了', '一些'], 10);
    const bot: Bot = { name: 'blank-final', reply: async () => textReply(' '), streamReply: async (context, onText) => (await streaming.streamReply!(context, onText), textReply('  \n')) };
    const h = await startWebhookBot(bot);
    const first = streamOf(await h.client.postMessage(h.text('然后呢')));
    const last = (await pollUntilFinished(h.client, first.id, 5)).at(-1)!;
    expect(last.finish).toBe(true);
    expect(last.content.trim()).not.toBe('');
  });
});

describe("WeCom's retries and polls", () => {
  it('the same msgid delivered again asks the bot once; each retry is answered with the current frame of the one stream', async () => {
    const bot = answeringBot(true);
    const h = await startWebhookBot(bot);
    const message = h.text('只问一次');
    // Two deliveries at once (the first answer seemed slow to WeCom), then one more later.
    const [a, b] = (await Promise.all([h.client.postMessage(message), h.client.postMessage(message)])).map(streamOf);
    expect(a).toEqual({ id: a!.id, content: '思考中…', finish: false });
    expect(b).toEqual(a);
    bot.release();
    const last = (await pollUntilFinished(h.client, a!.id)).at(-1);
    const retried = streamOf(await h.client.postMessage(message));
    expect(retried).toEqual(last);
    expect(retried).toEqual({ id: a!.id, content: '答：只问一次', finish: true });
    expect(bot.asked).toEqual(['只问一次']);
    expect(h.host.posts).toEqual([]);
  });

  it('a poll for a stream this process does not know (lost in a restart) is finished with a notice, not emptied', async () => {
    const h = await startWebhookBot(answeringBot());
    const answer = await h.client.refresh('0123456789abcdef0123456789abcdef');
    expect(answer.reply).toEqual({ msgtype: 'stream', stream: { id: '0123456789abcdef0123456789abcdef', finish: true, content: '（回答中断了，完成后将单独发送；如未收到，请重新提问。）' } });
  });

  it('two messages get two streams, each polled to its own answer', async () => {
    const bot = answeringBot();
    const h = await startWebhookBot(bot);
    const one = streamOf(await h.client.postMessage(h.text('一')));
    const two = streamOf(await h.client.postMessage(h.text('二', { from: { userid: 'lisi' } })));
    expect(one.id).not.toBe(two.id);
    expect((await pollUntilFinished(h.client, two.id)).at(-1)?.content).toBe('答：二');
    expect((await pollUntilFinished(h.client, one.id)).at(-1)?.content).toBe('答：一');
    expect([...bot.asked].sort()).toEqual(['一', '二']);
  });
});

describe('group chats', () => {
  it('strips the mention with no space after it ("@大黄你好") and answers in the group\'s bubble', async () => {
    const bot = answeringBot();
    const h = await startWebhookBot(bot, { wecom_bot_name: '大黄' });
    const first = streamOf(await h.client.postMessage(h.text('@大黄你好', { chattype: 'group', chatid: 'wrGROUP1' })));
    expect(first).toMatchObject({ content: '思考中…', finish: false });
    expect((await pollUntilFinished(h.client, first.id)).at(-1)).toEqual({ id: first.id, content: '答：你好', finish: true });
    expect(bot.asked).toEqual(['你好']);
  });
});
