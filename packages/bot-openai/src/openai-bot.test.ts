import { getEncoding } from 'js-tiktoken';
import { ctxSet, REPLY_DEADLINE, type Bot } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openAIError, type FakeOpenAI } from './testing/index.js';
import { message, openaiTestApp, TEST_KEY } from './testing/test-app.js';

type Msg = { role: string; content: string };
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

const sent = (f: FakeOpenAI, i = -1): Msg[] => f.requestsTo('chat').at(i)!.json.messages as Msg[];
// Retry pauses come from the server's Retry-After, so tests stay fast and the header is honoured.
const quick = { 'retry-after-ms': '5' };

describe('OpenAIBot chat', () => {
  it('carries the history with the system prompt first', async () => {
    const { bot, fake } = await setup();
    expect((await bot.reply(message('hi'))).content).toBe('echo: hi');
    expect((await bot.reply(message('how are you'))).content).toBe('echo: how are you');
    expect(sent(fake)).toEqual([
      { role: 'system', content: 'You are a test bot.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'echo: hi' },
      { role: 'user', content: 'how are you' },
    ]);
    // Another session starts empty.
    await bot.reply(message('other', 'recording:u2'));
    expect(sent(fake)).toHaveLength(2);
  });

  it('reads model, prompt and sampling from the live config on every call', async () => {
    const { bot, fake, config } = await setup({ temperature: 0.2 });
    await bot.reply(message('one'));
    config.model = 'deepseek-chat';
    config.character_desc = '你是客服。';
    await bot.reply(message('two'));
    const [first, second] = fake.requestsTo('chat');
    expect(first!.json).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2, top_p: 1 });
    expect(second!.json.model).toBe('deepseek-chat');
    expect(second!.json.messages[0]).toEqual({ role: 'system', content: '你是客服。' });
  });

  it('trims the oldest turns by real token counts and keeps the system prompt', async () => {
    const budget = 80;
    const { bot, fake } = await setup({ conversation_max_tokens: budget, model: 'gpt-4o' });
    const questions = ['第一个问题：今天天气怎么样？', 'second question about the weather tomorrow', '第三个问题，关于后天的天气预报', 'fourth: and next week?', '第五个'];
    for (const q of questions) await bot.reply(message(q));
    const enc = getEncoding('o200k_base');
    const cost = (m: Msg) => 3 + enc.encode(m.role).length + enc.encode(m.content).length;
    const last = sent(fake);
    expect(last[0]).toEqual({ role: 'system', content: 'You are a test bot.' });
    expect(last.at(-1)).toEqual({ role: 'user', content: '第五个' });
    const total = 3 + last.reduce((n, m) => n + cost(m), 0);
    expect(total).toBeLessThanOrEqual(budget);
    // Oldest went first: what was sent is the newest turns, and one more turn would not fit.
    const keptTurns = (last.length - 2) / 2;
    expect(keptTurns).toBeGreaterThan(0);
    expect(keptTurns).toBeLessThan(4);
    const droppedNewest = questions[questions.length - 2 - keptTurns]!;
    expect(last[1]!.content).toBe(questions[questions.length - 1 - keptTurns]);
    expect(total + cost({ role: 'user', content: droppedNewest }) + cost({ role: 'assistant', content: `echo: ${droppedNewest}` })).toBeGreaterThan(budget);
  });

  it('sends the question alone when it exceeds the budget by itself', async () => {
    const { bot, fake } = await setup({ conversation_max_tokens: 20 });
    await bot.reply(message('short'));
    const long = 'a long question '.repeat(20);
    expect((await bot.reply(message(long))).content).toBe(`echo: ${long}`);
    expect(sent(fake).map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('leaves the history clean after a failed turn', async () => {
    const { bot, fake } = await setup();
    await bot.reply(message('a'));
    fake.setResponse('chat', openAIError(400, 'Invalid request', 'invalid_request_error', 'invalid_value'));
    const failed = await bot.reply(message('b'));
    expect(failed.type).toBe('ERROR');
    await bot.reply(message('c'));
    expect(sent(fake).map((m) => m.content)).toEqual(['You are a test bot.', 'a', 'echo: a', 'c']);
  });

  it('forgets a session on resetSession', async () => {
    const { bot, fake } = await setup();
    await bot.reply(message('remember me'));
    await bot.resetSession!('recording:u1');
    await bot.reply(message('fresh'));
    expect(sent(fake).map((m) => m.content)).toEqual(['You are a test bot.', 'fresh']);
  });

  it('assembles a streamed answer when open_ai_stream is on', async () => {
    const { bot, fake } = await setup({ open_ai_stream: true });
    fake.setResponse('chat', { chunks: ['流式', '回答', ' done'] });
    expect(await bot.reply(message('q'))).toEqual({ type: 'TEXT', content: '流式回答 done' });
    expect(fake.requestsTo('chat')[0]!.json.stream).toBe(true);
    await bot.reply(message('next'));
    expect(sent(fake)[2]).toEqual({ role: 'assistant', content: '流式回答 done' });
  });

  it('answers a video with a short text, not an error, without calling the API', async () => {
    const { bot, fake } = await setup();
    expect((await bot.reply(message('media-id', undefined, 'VIDEO'))).type).toBe('TEXT');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('OpenAIBot reliability', () => {
  it('retries 429 and stops at max_retries', async () => {
    const { bot, fake } = await setup({ max_retries: 2 });
    fake.setHandler('chat', () => openAIError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', quick));
    expect(await bot.reply(message('x'))).toEqual({ type: 'ERROR', content: '请求太频繁，请稍后再试。' });
    expect(fake.requestsTo('chat')).toHaveLength(3);
  });

  it('retries 5xx until an answer comes, within the bound', async () => {
    const { bot, fake } = await setup({ max_retries: 2 });
    fake.setResponse('chat', openAIError(503, 'overloaded', 'server_error', null, quick), openAIError(500, 'oops', 'server_error', null, quick));
    expect((await bot.reply(message('y'))).content).toBe('echo: y');
    expect(fake.requestsTo('chat')).toHaveLength(3);
  });

  it('gives up on 5xx with max_retries 0 after one request', async () => {
    const { bot, fake } = await setup({ max_retries: 0 });
    fake.setResponse('chat', openAIError(502, 'bad gateway', 'server_error', null, quick));
    expect((await bot.reply(message('y'))).content).toBe('模型服务暂时不可用，请稍后再试。');
    expect(fake.requestsTo('chat')).toHaveLength(1);
  });

  it('does not retry an exhausted quota or a bad key', async () => {
    const { bot, fake } = await setup({ max_retries: 3 });
    fake.setResponse('chat', openAIError(429, 'You exceeded your current quota', 'insufficient_quota', 'insufficient_quota', quick));
    expect((await bot.reply(message('x'))).content).toBe('服务额度已用完，请联系管理员。');
    fake.setResponse('chat', openAIError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'));
    expect((await bot.reply(message('y'))).content).toBe('机器人配置有误，请联系管理员。');
    expect(fake.requestsTo('chat')).toHaveLength(2);
  });

  it('times out a slow answer after request_timeout, each attempt', async () => {
    const { bot, fake } = await setup({ request_timeout: 0.3, max_retries: 1 });
    fake.setResponse('chat', { delayMs: 5000, content: 'late' }, { delayMs: 5000, content: 'late' });
    const started = Date.now();
    expect(await bot.reply(message('slow'))).toEqual({ type: 'ERROR', content: '回答超时了，请稍后再试。' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.requestsTo('chat')).toHaveLength(2);
  });

  it('times out a stream that stalls after its first chunk', async () => {
    const { bot, fake } = await setup({ request_timeout: 0.3, max_retries: 0, open_ai_stream: true });
    fake.setResponse('chat', { chunks: ['partial', 'never'], stall: true });
    expect((await bot.reply(message('q'))).content).toBe('回答超时了，请稍后再试。');
    await bot.reply(message('next'));
    expect(sent(fake).map((m) => m.content)).toEqual(['You are a test bot.', 'next']);
  });

  it('gives up within reply_timeout_seconds, so a turn the user saw fail is never remembered', async () => {
    const app = await openaiTestApp({ reply_timeout_seconds: 2, request_timeout: 1.5, max_retries: 2 });
    fake = app.fake;
    let slow = 0;
    app.fake.setHandler('chat', (req) => {
      const last = (req.json?.messages as Msg[]).at(-1)!.content;
      if (last !== 'a') return { content: `echo: ${last}` };
      // The first try fails late, the retry would answer after the pipeline gave up.
      return slow++ === 0 ? { ...openAIError(503, 'overloaded', 'server_error', null, quick), delayMs: 600 } : { delayMs: 1200, content: 'late answer' };
    });
    await app.pipeline.handle(message('a'));
    // The bot's own short message, not the pipeline's generic error_reply after its timeout.
    expect(app.recorder.sent[0]!.reply).toEqual({ type: 'ERROR', content: '回答超时了，请稍后再试。' });
    // Long enough for the late answer to land (before the fix it was then remembered).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await app.pipeline.handle(message('b'));
    expect(sent(app.fake).map((m) => m.content)).toEqual(['You are a test bot.', 'b']);
  });

  it('accepts a fractional request_timeout (whole milliseconds are what timers take)', async () => {
    const { bot } = await setup({ request_timeout: 1.2345, max_retries: 0 });
    expect((await bot.reply(message('hi'))).content).toBe('echo: hi');
  });

  it("gives up by the pipeline's REPLY_DEADLINE, which counts the time the message already waited", async () => {
    const { bot, fake } = await setup({ reply_timeout_seconds: 60, request_timeout: 10, max_retries: 0 });
    fake.setResponse('chat', { delayMs: 2500, content: 'too late' });
    const queued = message('waited in the queue');
    // The message arrived long ago: the pipeline gives up 1 s from now, not 60 s.
    ctxSet(queued, REPLY_DEADLINE, Date.now() + 1000);
    expect(await bot.reply(queued)).toEqual({ type: 'ERROR', content: '回答超时了，请稍后再试。' });
  });

  it('says so when the server cannot be reached', async () => {
    const { bot, config } = await setup({ max_retries: 0 });
    config.open_ai_api_base = 'http://127.0.0.1:1/v1';
    expect((await bot.reply(message('q'))).content).toBe('暂时连不上模型服务，请稍后再试。');
  });

  it('holds rate_limit_chatgpt and rate_limit_dalle per minute for each member, not for the whole bot', async () => {
    const { bot, fake } = await setup({ rate_limit_chatgpt: 2, rate_limit_dalle: 1 });
    await bot.reply(message('1'));
    await bot.reply(message('2'));
    const third = await bot.reply(message('3'));
    expect(third.type).toBe('ERROR');
    expect(third.content).toMatch(/^提问太快啦，请 \d+ 秒后再试。$/);
    expect(fake.requestsTo('chat')).toHaveLength(2);
    // Another member is not held back by the first one's burst.
    expect((await bot.reply({ ...message('hi'), senderId: 'u2', sessionId: 'recording:u2' })).type).toBe('TEXT');
    expect(fake.requestsTo('chat')).toHaveLength(3);
    expect((await bot.reply(message('cat', undefined, 'IMAGE_CREATE'))).type).toBe('IMAGE_URL');
    expect((await bot.reply(message('dog', undefined, 'IMAGE_CREATE'))).type).toBe('ERROR');
    expect(fake.requestsTo('images')).toHaveLength(1);
  });

  it('never writes the API key to the log, even when the server echoes it', async () => {
    const app = await openaiTestApp({ max_retries: 1 });
    fake = app.fake;
    app.fake.setResponse(
      'chat',
      openAIError(500, `upstream failed for key ${TEST_KEY}`, 'server_error', null, quick),
      openAIError(401, `Incorrect API key provided: ${TEST_KEY}`, 'invalid_request_error', 'invalid_api_key'),
    );
    await app.pipeline.handle(message('hello'));
    expect(app.recorder.sent[0]!.reply).toEqual({ type: 'ERROR', content: '机器人配置有误，请联系管理员。' });
    const log = app.logLines.join('\n');
    expect(log).toContain('rejected the API key');
    expect(log).toContain('retrying');
    expect(log).not.toContain(TEST_KEY);
    expect(app.fake.requests[0]!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });
});

describe('OpenAIBot images', () => {
  it('generates an image with the configured model and size', async () => {
    const { bot, fake } = await setup({ text_to_image: 'dall-e-3', image_create_size: '1792x1024' });
    expect(await bot.reply(message('a red cat', undefined, 'IMAGE_CREATE'))).toEqual({ type: 'IMAGE_URL', content: 'https://images.example/a%20red%20cat.png' });
    expect(fake.requestsTo('images')[0]!.json).toEqual({ model: 'dall-e-3', prompt: 'a red cat', n: 1, size: '1792x1024' });
  });

  it('returns the bytes when the API answers base64', async () => {
    const { bot, fake } = await setup({ text_to_image: 'gpt-image-1' });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    fake.setResponse('images', { b64Json: png.toString('base64') });
    const reply = await bot.reply(message('logo', undefined, 'IMAGE_CREATE'));
    expect(reply.type).toBe('IMAGE');
    expect(reply.content).toMatchObject({ filename: 'image.png', mimeType: 'image/png', data: png });
  });

  it('tells the user when the prompt is refused', async () => {
    const { bot } = await setup();
    fake!.setResponse('images', openAIError(400, 'Your request was rejected by our safety system', 'invalid_request_error', 'content_policy_violation'));
    expect((await bot.reply(message('bad', undefined, 'IMAGE_CREATE'))).content).toBe('这个请求未通过内容安全审核，请换个说法再试。');
  });
});

export type { Bot };
