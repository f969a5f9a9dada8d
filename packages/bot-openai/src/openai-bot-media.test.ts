import { createContext, ctxSet, INBOUND_MEDIA, type Context, type ContextType } from '@wecom-bot/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOpenAI } from './testing/index.js';
import { openaiTestApp } from './testing/test-app.js';
import { canSee } from './vision.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(raw: Record<string, unknown> = {}) {
  const app = await openaiTestApp(raw);
  fake = app.fake;
  return { ...app, bot: app.bridge.bot };
}

// The magic bytes are what the data URL's type is read from; the fake model never decodes them.
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0 a small picture')]);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const dataUrl = (bytes: Buffer, mime: string) => `data:${mime};base64,${bytes.toString('base64')}`;

function from(senderId: string, type: ContextType, content: string, bytes?: Buffer): Context {
  const context = createContext({ type, content, channel: 'recording', sessionId: `recording:${senderId}`, senderId });
  if (bytes) ctxSet(context, INBOUND_MEDIA, { format: 'jpg', load: async () => bytes });
  return context;
}
const image = (bytes = JPEG, sender = 'u1') => from(sender, 'IMAGE', 'https://wework.qpic.cn/pic', bytes);
const text = (content: string, sender = 'u1') => from(sender, 'TEXT', content);
const chats = (f: FakeOpenAI) => f.requestsTo('chat');
const lastUser = (f: FakeOpenAI, i = -1) => chats(f).at(i)!.json.messages.at(-1);

describe('OpenAIBot: an image and the question that follows it', () => {
  it('acknowledges the image, then hands it to the model with the next question as vision content parts', async () => {
    const { bot, fake } = await setup({ model: 'gpt-4o' });
    expect(await bot.reply(image())).toEqual({ type: 'TEXT', content: '收到图片。请在3 分钟内发来你想问的问题，我会结合图片回答。' });
    expect(chats(fake)).toHaveLength(0);
    expect(await bot.reply(text('图里是什么？'))).toEqual({ type: 'TEXT', content: 'echo: 图里是什么？' });
    expect(lastUser(fake)).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: '图里是什么？' },
        { type: 'image_url', image_url: { url: dataUrl(JPEG, 'image/jpeg') } },
      ],
    });
    // The picture went with that question only; the memory keeps a placeholder, never the bytes.
    await bot.reply(text('谢谢'));
    expect(chats(fake)[1]!.json.messages.slice(1)).toEqual([
      { role: 'user', content: '[图片] 图里是什么？' },
      { role: 'assistant', content: 'echo: 图里是什么？' },
      { role: 'user', content: '谢谢' },
    ]);
    expect(chats(fake)[1]!.body.toString()).not.toContain(JPEG.toString('base64'));
  });

  it('sends every image of the window with the question, each typed by its bytes', async () => {
    const { bot, fake } = await setup({ model: 'qwen-vl-max' });
    await bot.reply(image(JPEG));
    await bot.reply(image(PNG));
    await bot.reply(text('比较这两张图'));
    expect(lastUser(fake).content.slice(1)).toEqual([
      { type: 'image_url', image_url: { url: dataUrl(JPEG, 'image/jpeg') } },
      { type: 'image_url', image_url: { url: dataUrl(PNG, 'image/png') } },
    ]);
    await bot.reply(text('再说一遍'));
    expect(chats(fake)[1]!.json.messages.at(-3)).toEqual({ role: 'user', content: '[图片×2] 比较这两张图' });
  });

  it("pairs an image only with the same member's question, and only within image_question_window_seconds", async () => {
    const { bot, fake } = await setup({ image_question_window_seconds: 1 });
    expect((await bot.reply(image())).content).toBe('收到图片。请在1 秒内发来你想问的问题，我会结合图片回答。');
    await bot.reply(text('别人的问题', 'u2'));
    expect(lastUser(fake).content).toBe('别人的问题');
    await sleep(1100);
    await bot.reply(text('太晚的问题'));
    expect(lastUser(fake).content).toBe('太晚的问题');
  });

  it('keeps the image when the request fails, so the question asked again still has it', async () => {
    const { bot, fake } = await setup({ max_retries: 0 });
    fake.setResponse('chat', { status: 500, error: { message: 'down' } });
    await bot.reply(image());
    expect((await bot.reply(text('这是什么？'))).type).toBe('ERROR');
    await bot.reply(text('这是什么？'));
    expect(lastUser(fake).content[1]).toEqual({ type: 'image_url', image_url: { url: dataUrl(JPEG, 'image/jpeg') } });
  });

  it('takes the picture a text message carries itself (the AI bot\'s mixed message)', async () => {
    const { bot, fake } = await setup();
    await bot.reply(from('u1', 'TEXT', '这张截图报什么错？', PNG));
    expect(lastUser(fake).content).toEqual([
      { type: 'text', text: '这张截图报什么错？' },
      { type: 'image_url', image_url: { url: dataUrl(PNG, 'image/png') } },
    ]);
  });

  it('tells the member a model that cannot see cannot, and never sends it an image', async () => {
    const { bot, fake } = await setup({ model: 'deepseek-chat' });
    const answer = await bot.reply(image());
    expect(answer).toEqual({ type: 'TEXT', content: '这类消息我暂时处理不了，请把想问的内容用文字发给我。' });
    await bot.reply(text('图里是什么？'));
    expect(lastUser(fake)).toEqual({ role: 'user', content: '图里是什么？' });
  });

  it('forgets waiting images on resetSession', async () => {
    const { bot, fake } = await setup();
    await bot.reply(image());
    await bot.resetSession!('recording:u1');
    await bot.reply(text('还在吗？'));
    expect(lastUser(fake).content).toBe('还在吗？');
  });
});

describe('vision_models', () => {
  it('matches model names by prefix, without a provider prefix; "*" is every model, [] none', () => {
    const defaults = ['gpt-4o', 'gpt-4.1', 'qwen-vl'];
    expect(canSee('gpt-4o-mini', defaults)).toBe(true);
    expect(canSee('openai/GPT-4.1-nano', defaults)).toBe(true);
    expect(canSee('qwen-vl-max', defaults)).toBe(true);
    expect(canSee('deepseek-chat', defaults)).toBe(false);
    expect(canSee('my-served-model', ['*'])).toBe(true);
    expect(canSee('gpt-4o', [])).toBe(false);
  });
});

describe('OpenAIBot: links, locations, files and videos', () => {
  it('answers a link and a location as text questions, and remembers them as text', async () => {
    const { bot, fake } = await setup();
    const link = '标题：季度报告\n描述：第三季度经营数据\n网址：https://example.com/q3';
    expect((await bot.reply(from('u1', 'LINK', link))).type).toBe('TEXT');
    expect(lastUser(fake)).toEqual({ role: 'user', content: `我分享了一个链接：\n${link}` });
    await bot.reply(from('u1', 'LOCATION', '广州市海珠区（纬度 23.134521，经度 113.358803）'));
    expect(chats(fake)[1]!.json.messages.slice(1)).toEqual([
      { role: 'user', content: `我分享了一个链接：\n${link}` },
      { role: 'assistant', content: `echo: 我分享了一个链接：\n${link}` },
      { role: 'user', content: '我发来了一个位置：广州市海珠区（纬度 23.134521，经度 113.358803）' },
    ]);
  });

  it('answers a file and a video with unsupported_media_reply, as text, without asking the model', async () => {
    const { bot, fake } = await setup({ unsupported_media_reply: '文件和视频我还看不了。' });
    for (const type of ['FILE', 'VIDEO', 'VOICE'] as const) {
      expect(await bot.reply(from('u1', type, 'report.pdf'))).toEqual({ type: 'TEXT', content: '文件和视频我还看不了。' });
    }
    expect(fake.requests).toHaveLength(0);
  });
});
