import { INBOUND_MEDIA, ctxGet, textReply, type Bot, type Context } from '@wecom-bot/core';
import { encryptMediaFile, mediaFileKey } from '@wecom-bot/wx-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { WecomWebhookClient, answeringBot, pollUntilFinished, startWebhookBot, stopWebhookBots, streamOf, WEBHOOK_AES_KEY, WEBHOOK_TOKEN } from './testing/index.js';

// Events, media and hygiene of the channel in webhook mode, end to end (PROTOCOLS-AIBOT-KF.md §1.1–§1.5).
afterEach(stopWebhookBots);

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1000, 7), Buffer.from('end')]);

/** Reads the message's media, as an image-reading bot would, and says how many bytes it got. */
function mediaBot(): Bot & { asked: string[]; loaded: Buffer[]; formats: string[] } {
  const asked: string[] = [];
  const loaded: Buffer[] = [];
  const formats: string[] = [];
  return {
    name: 'media',
    asked,
    loaded,
    formats,
    async reply(context: Context) {
      asked.push(context.content);
      const media = ctxGet(context, INBOUND_MEDIA);
      if (!media) return textReply(`没有附件：${context.content}`);
      formats.push(media.format);
      const data = await media.load();
      loaded.push(data);
      return textReply(`收到 ${data.length} 字节`);
    },
  };
}

describe('enter_chat', () => {
  const enterChat = (client: WecomWebhookClient) => ({
    msgid: client.nextMsgId(),
    aibotid: 'aibTEST',
    create_time: Math.floor(Date.now() / 1000),
    chattype: 'single',
    from: { userid: 'lisi', corpid: 'wwCORP' },
    msgtype: 'event',
    event: { eventtype: 'enter_chat' },
  });

  it('is answered in the HTTP answer with the welcome text, encrypted; the bot is not asked', async () => {
    const bot = answeringBot();
    const h = await startWebhookBot(bot, { wecom_bot_welcome: '你好，我是小微。\n有问题尽管问。' });
    const answer = await h.client.postMessage(enterChat(h.client));
    expect(answer.status).toBe(200);
    expect(answer.reply).toEqual({ msgtype: 'text', text: { content: '你好，我是小微。\n有问题尽管问。' } });
    expect(bot.asked).toEqual([]);
  });

  it('a retried enter_chat (our answer was lost on the way) gets the same welcome again', async () => {
    const h = await startWebhookBot(answeringBot(), { wecom_bot_welcome: '欢迎回来' });
    const event = enterChat(h.client);
    const answers = [await h.client.postMessage(event), await h.client.postMessage(event)];
    expect(answers.map((a) => a.reply)).toEqual([
      { msgtype: 'text', text: { content: '欢迎回来' } },
      { msgtype: 'text', text: { content: '欢迎回来' } },
    ]);
  });

  it('without wecom_bot_welcome gets an empty answer', async () => {
    const h = await startWebhookBot(answeringBot());
    const answer = await h.client.postMessage(enterChat(h.client));
    expect(answer).toMatchObject({ status: 200, body: '' });
  });
});

describe('media', () => {
  it("an image message: the bot loads the original bytes, decrypted with the bot's EncodingAESKey", async () => {
    const bot = mediaBot();
    const h = await startWebhookBot(bot);
    const url = h.host.serveFile('photo', encryptMediaFile(PNG, mediaFileKey(undefined, WEBHOOK_AES_KEY)));
    const first = streamOf(await h.client.postMessage(h.callback('image', { image: { url } })));
    expect(first).toMatchObject({ content: '思考中…', finish: false });
    expect((await pollUntilFinished(h.client, first.id)).at(-1)).toEqual({ id: first.id, content: `收到 ${PNG.length} 字节`, finish: true });
    expect(bot.loaded).toHaveLength(1);
    expect(bot.loaded[0]!.equals(PNG)).toBe(true);
    expect(bot.formats).toEqual(['jpg']);
    expect(h.host.downloads).toEqual(['/media/photo']);
  });

  it('a mixed message: its text is the question and its image is offered, decrypted', async () => {
    const bot = mediaBot();
    const h = await startWebhookBot(bot, { wecom_bot_name: '大黄' });
    const url = h.host.serveFile('mixed', encryptMediaFile(PNG, mediaFileKey(undefined, WEBHOOK_AES_KEY)));
    const items = [{ msgtype: 'text', text: { content: '@大黄 看这张图' } }, { msgtype: 'image', image: { url } }];
    const message = h.callback('mixed', { mixed: { msg_item: items } }, { chattype: 'group', chatid: 'wrGROUP3' });
    const first = streamOf(await h.client.postMessage(message));
    expect((await pollUntilFinished(h.client, first.id)).at(-1)?.content).toBe(`收到 ${PNG.length} 字节`);
    expect(bot.asked).toEqual(['看这张图']);
    expect(bot.loaded[0]!.equals(PNG)).toBe(true);
  });
});

describe('voice', () => {
  it("is answered from WeCom's own transcript (voice.content)", async () => {
    const bot = answeringBot();
    const h = await startWebhookBot(bot);
    const first = streamOf(await h.client.postMessage(h.callback('voice', { voice: { content: '明天开会吗' } })));
    expect((await pollUntilFinished(h.client, first.id)).at(-1)?.content).toBe('答：明天开会吗');
    expect(bot.asked).toEqual(['明天开会吗']);
  });
});

describe('the webhook URL and secrets', () => {
  it("verifies the URL through the channel's server (bare echostr)", async () => {
    const h = await startWebhookBot(answeringBot());
    const answer = await h.client.verifyUrl('5927381046123');
    expect(answer).toMatchObject({ status: 200, body: '5927381046123' });
  });

  it('refuses a callback signed with another token and asks no bot', async () => {
    const bot = answeringBot();
    const h = await startWebhookBot(bot);
    const forged = await h.client.send(h.client.prepare(h.text('伪造'), h.client.crypt, 'someOtherToken'));
    expect(forged.status).toBe(401);
    expect(bot.asked).toEqual([]);
  });

  it('no log line carries the token, the EncodingAESKey or a response_code, whatever happened', async () => {
    const bot = answeringBot(true);
    const h = await startWebhookBot(bot, { wecom_bot_stream_seconds: 0.3, wecom_bot_welcome: '欢迎' });
    await h.client.verifyUrl();
    const wrongKey = new WecomWebhookClient({ url: `http://127.0.0.1:${h.channel.port}/wecombot`, token: WEBHOOK_TOKEN, aesKey: 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx' });
    expect((await wrongKey.postMessage(h.text('错的密钥'))).status).toBeGreaterThanOrEqual(400);
    await h.client.send(h.client.prepare(h.text('错的签名'), h.client.crypt, 'someOtherToken'));
    await h.client.postMessage({ msgid: h.client.nextMsgId(), msgtype: 'event', chattype: 'single', from: { userid: 'u' }, event: { eventtype: 'enter_chat' } });
    const message = h.text('慢的回答');
    const first = streamOf(await h.client.postMessage(message));
    await pollUntilFinished(h.client, first.id);
    bot.release();
    await h.host.waitForPosts(1);
    await h.app.pipeline.drain(2000);
    await h.client.refresh('unknown-stream-id');
    const log = h.app.logLines.join('\n');
    expect(h.app.logLines.length).toBeGreaterThan(5);
    expect(log).not.toContain(WEBHOOK_TOKEN);
    expect(log).not.toContain(WEBHOOK_AES_KEY);
    // Not even masked by the logger's scrubbing: nothing handed them to the logger.
    expect(log).not.toContain(`${WEBHOOK_TOKEN.slice(0, 2)}***`);
    expect(log).not.toContain(`${WEBHOOK_AES_KEY.slice(0, 2)}***`);
    const code = new URL(String(message['response_url'])).searchParams.get('response_code')!;
    expect(log).not.toContain(code);
  });
});
