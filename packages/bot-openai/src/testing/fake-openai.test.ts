import OpenAI, { toFile } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { openAIError, silentMp3, startFakeOpenAI, type FakeOpenAI } from './index.js';

// The fake is only useful if the real SDK accepts what it says: every case goes through `openai`.
describe('fake OpenAI server', () => {
  let fake: FakeOpenAI;
  afterEach(async () => fake?.close());
  const client = (maxRetries = 0) => new OpenAI({ apiKey: 'sk-test-123456', baseURL: fake.baseURL, maxRetries });

  it('answers chat completions and records the request', async () => {
    fake = await startFakeOpenAI();
    const answer = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]?.message.content).toBe('echo: hi');
    expect(fake.requestsTo('chat')[0]?.json.model).toBe('gpt-4o');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test-123456');
  });

  it('streams SSE chunks the SDK reassembles', async () => {
    fake = await startFakeOpenAI();
    fake.setResponse('chat', { chunks: ['你好', '，世', '界'] });
    const stream = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const parts: string[] = [];
    for await (const chunk of stream) parts.push(chunk.choices[0]?.delta.content ?? '');
    expect(parts.join('')).toBe('你好，世界');
  });

  it('sends OpenAI error bodies the SDK turns into typed errors, and queued replies run out', async () => {
    fake = await startFakeOpenAI();
    fake.setResponse('chat', openAIError(429, 'Rate limit reached', 'requests', 'rate_limit_exceeded'));
    const error = await client().chat.completions.create({ model: 'm', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    const ok = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'again' }] });
    expect(ok.choices[0]?.message.content).toBe('echo: again');
  });

  it('rejects a wrong key when given one', async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-right-key' });
    const error = await client().chat.completions.create({ model: 'm', messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('parses multipart transcriptions with the file bytes and name', async () => {
    fake = await startFakeOpenAI();
    const audio = silentMp3(0.5);
    const result = await client().audio.transcriptions.create({ model: 'whisper-1', file: await toFile(audio, 'voice.mp3', { type: 'audio/mpeg' }) });
    expect(result.text).toBe('transcribed voice.mp3');
    const multipart = fake.requestsTo('transcriptions')[0]?.multipart;
    expect(multipart?.fields.model).toBe('whisper-1');
    expect(multipart?.files.file?.data.equals(audio)).toBe(true);
  });

  it('returns audio bytes for speech and image answers for generations', async () => {
    fake = await startFakeOpenAI();
    const speech = await client().audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hello' });
    const bytes = Buffer.from(await speech.arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfb])); // an MPEG audio frame sync
    const image = await client().images.generate({ model: 'dall-e-3', prompt: 'cat' });
    expect(image.data?.[0]?.url).toBe('https://images.example/cat.png');
  });

  it('is slow on request', async () => {
    fake = await startFakeOpenAI();
    fake.setResponse('chat', { delayMs: 2000, content: 'late' });
    const started = Date.now();
    const error = await new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0, timeout: 200 }).chat.completions
      .create({ model: 'm', messages: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
