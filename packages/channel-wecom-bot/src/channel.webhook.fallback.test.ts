import { setTimeout as sleep } from 'node:timers/promises';
import { textReply, type Bot } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { answeringBot, pollUntilFinished, startWebhookBot, stopWebhookBots, streamOf } from './testing/index.js';

// Answers the stream window cannot carry (PROTOCOLS-AIBOT-KF.md §1.4 step 4, §1.5): the bubble is
// closed with a pointer and the answer goes once, as plain JSON, to the message's response_url.
afterEach(stopWebhookBots);

const POINTER = '（回答较长，完整内容将单独发送。）';

/** Streams `head` at once, then waits for `release()` before finishing with `head + tail`. */
function slowStreamingBot(head: string, tail: string): Bot & { release(): void } {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const answer = async (onText?: (soFar: string) => void) => {
    onText?.(head);
    await gate;
    return textReply(head + tail);
  };
  return { name: 'slow-streaming', release: () => release(), reply: () => answer(), streamReply: (_context, onText) => answer(onText) };
}

describe('an answer slower than wecom_bot_stream_seconds', () => {
  it('closes the bubble with the pointer, and the answer goes to response_url exactly once', async () => {
    const bot = answeringBot(true);
    const h = await startWebhookBot(bot, { wecom_bot_stream_seconds: 0.3 });
    const message = h.text('写一份长报告', { chattype: 'group', chatid: 'wrGROUP2' });
    const first = streamOf(await h.client.postMessage(message));
    expect(first).toMatchObject({ content: '思考中…', finish: false });
    // WeCom keeps polling: at the hand-over the frame finishes with the pointer, before any answer.
    const polls = await pollUntilFinished(h.client, first.id);
    expect(polls.at(-1)).toEqual({ id: first.id, content: POINTER, finish: true });
    expect(h.host.posts).toEqual([]);
    bot.release();
    await h.host.waitForPosts(1);
    await h.app.pipeline.drain(2000);
    await sleep(100);
    expect(h.host.posts).toEqual([
      {
        path: '/cgi-bin/aibot/response',
        responseCode: new URL(String(message['response_url'])).searchParams.get('response_code'),
        contentType: 'application/json; charset=utf-8',
        body: { msgtype: 'markdown', markdown: { content: '答：写一份长报告' } },
      },
    ]);
    // The bubble stays closed with the pointer: polls and a late retry of the message see the same frame.
    expect(streamOf(await h.client.refresh(first.id))).toEqual({ id: first.id, content: POINTER, finish: true });
    expect(streamOf(await h.client.postMessage(message))).toEqual({ id: first.id, content: POINTER, finish: true });
    await sleep(100);
    expect(h.host.posts).toHaveLength(1);
    expect(bot.asked).toEqual(['写一份长报告']);
  });

  it('keeps the text shown so far above the pointer, with its line breaks; response_url gets the whole answer', async () => {
    const bot = slowStreamingBot('第一段\n- 要点', '\n\n第二段');
    const h = await startWebhookBot(bot, { wecom_bot_stream_seconds: 0.3 });
    const first = streamOf(await h.client.postMessage(h.text('慢慢说')));
    const polls = await pollUntilFinished(h.client, first.id);
    expect(polls.map((f) => f.content)).toContain('第一段\n- 要点');
    expect(polls.at(-1)).toEqual({ id: first.id, content: `第一段\n- 要点\n\n${POINTER}`, finish: true });
    bot.release();
    await h.host.waitForPosts(1);
    await h.app.pipeline.drain(2000);
    await sleep(100);
    expect(h.host.posts.map((p) => p.body)).toEqual([{ msgtype: 'markdown', markdown: { content: '第一段\n- 要点\n\n第二段' } }]);
  });

  it('an answer in time never touches response_url', async () => {
    const h = await startWebhookBot(answeringBot(), { wecom_bot_stream_seconds: 5 });
    const first = streamOf(await h.client.postMessage(h.text('快问快答')));
    expect((await pollUntilFinished(h.client, first.id)).at(-1)).toEqual({ id: first.id, content: '答：快问快答', finish: true });
    await h.app.pipeline.drain(2000);
    expect(h.host.posts).toEqual([]);
  });

  it('a message without response_url: the late answer cannot go anywhere, which is logged once, without the text', async () => {
    const bot = answeringBot(true);
    const h = await startWebhookBot(bot, { wecom_bot_stream_seconds: 0.3 });
    const message = h.text('没有回复地址');
    delete message['response_url'];
    const first = streamOf(await h.client.postMessage(message));
    expect((await pollUntilFinished(h.client, first.id)).at(-1)).toMatchObject({ content: POINTER, finish: true });
    bot.release();
    await h.app.pipeline.drain(2000);
    await sleep(100);
    const failures = h.app.logLines.filter((l) => l.includes('the answer could not be delivered'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(String(message['msgid']));
    expect(failures[0]).not.toContain('答：没有回复地址');
    expect(h.host.posts).toEqual([]);
  });
});
