import { textReply, type Context, type Reply } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { GatedBot, refPlainDecrypt, skillBody, startChatbot, TEST_AES_KEY } from './testing/index.js';

const PLACEHOLDER = '正在思考中，请稍后发送「继续」获取回答';

async function ask(url: string, query: string, user = 'slow-user'): Promise<string> {
  const res = await fetch(`${url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: query, UserId: user }) });
  expect(res.status).toBe(200);
  return (JSON.parse(refPlainDecrypt(TEST_AES_KEY, await res.text())) as { text_info: { short_answer: string } }).text_info.short_answer;
}

describe('the deadline: placeholder now, answer on the next request', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('a slow bot gets the placeholder; the keyword fetches the answer without asking the bot again', async () => {
    const bot = new GatedBot();
    const started = await startChatbot({ wechat_chatbot_reply_timeout: 0.2 }, bot);
    close = started.close;

    const t0 = Date.now();
    expect(await ask(started.url, '写一首长诗')).toBe(PLACEHOLDER);
    expect(Date.now() - t0).toBeLessThan(2000);

    // Still working: the keyword waits out its deadline and says so again.
    expect(await ask(started.url, '继续')).toBe(PLACEHOLDER);

    bot.release();
    await expect.poll(async () => (await started.channel.pending.hasWork('skill:slow-user')) && started.app.logLines.some((l) => l.includes('kept for the next request'))).toBe(true);
    expect(await ask(started.url, '继续')).toBe('答：写一首长诗');
    expect(bot.asked).toEqual(['写一首长诗']);
  });

  it('any next message also hands over the late answer, followed by its own answer', async () => {
    const bot = new GatedBot();
    // Long enough that "second" is answered in time even on a loaded machine.
    const started = await startChatbot({ wechat_chatbot_reply_timeout: 1 }, bot);
    close = started.close;
    expect(await ask(started.url, 'first')).toBe(PLACEHOLDER);
    bot.release();
    await expect.poll(() => started.app.logLines.some((l) => l.includes('kept for the next request'))).toBe(true);
    expect(await ask(started.url, 'second')).toBe('答：first\n\n答：second');
  });

  it('a late answer that lands while the next message is answered comes first, in order', async () => {
    // Only the first question is slow; the second waits behind it in the user's session.
    let releaseFirst!: () => void;
    const firstDone = new Promise<void>((resolve) => (releaseFirst = resolve));
    const bot = {
      name: 'slow-first',
      async reply(context: Context): Promise<Reply> {
        if (context.content === 'first') await firstDone;
        return textReply(`答：${context.content}`);
      },
    };
    const started = await startChatbot({ wechat_chatbot_reply_timeout: 1 }, bot);
    close = started.close;
    expect(await ask(started.url, 'first')).toBe(PLACEHOLDER);
    const second = ask(started.url, 'second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    releaseFirst();
    // Not "答：second" now and "答：first" on the next request: that reads as answers swapped.
    expect(await second).toBe('答：first\n\n答：second');
    expect(await started.channel.pending.hasWork('skill:slow-user')).toBe(false);
  });

  it('a platform retry of the same RequestId gets the same answer; the bot is asked once', async () => {
    const bot = new GatedBot();
    const started = await startChatbot({ wechat_chatbot_reply_timeout: 0.3 }, bot);
    close = started.close;
    const body = skillBody({ Query: '一个问题', UserId: 'retried' });
    const send = async () => {
      const res = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body });
      return (JSON.parse(refPlainDecrypt(TEST_AES_KEY, await res.text())) as { text_info: { short_answer: string } }).text_info.short_answer;
    };
    expect(await Promise.all([send(), send()])).toEqual([PLACEHOLDER, PLACEHOLDER]);
    expect(await send()).toBe(PLACEHOLDER);
    bot.release();
    await expect.poll(() => started.channel.pending.hasWork('skill:retried')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await ask(started.url, '继续', 'retried')).toBe('答：一个问题');
    expect(bot.asked).toEqual(['一个问题']);
  });

  it('a user waiting for a late answer does not hold up another user', async () => {
    const bot = new GatedBot();
    const started = await startChatbot({ wechat_chatbot_reply_timeout: 0.2 }, bot);
    close = started.close;
    expect(await ask(started.url, 'slow one', 'a')).toBe(PLACEHOLDER);
    expect(await ask(started.url, '继续', 'b')).toBe(PLACEHOLDER);
    bot.release();
    await expect.poll(() => started.channel.pending.hasWork('skill:a')).toBe(true);
    expect(await ask(started.url, '继续', 'a')).toBe('答：slow one');
    // b's "继续" had no late answer: it was asked as an ordinary message.
    await expect.poll(() => bot.asked.includes('继续')).toBe(true);
  });

  it('the legacy API has the same deadline', async () => {
    const bot = new GatedBot();
    const started = await startChatbot({ wechat_chatbot_reply_timeout: 0.2 }, bot);
    close = started.close;
    const get = async (q: string) =>
      (await (await fetch(`${started.url}/wxchatbot/api?q=${encodeURIComponent(q)}`, { headers: { uid: 'lu' } })).json()) as { data_list: Array<{ answer: string }> };
    expect((await get('慢问题')).data_list[0]!.answer).toBe(PLACEHOLDER);
    bot.release();
    await expect.poll(() => started.channel.pending.hasWork('api:lu')).toBe(true);
    expect((await get('继续')).data_list[0]!.answer).toBe('答：慢问题');
  });
});
