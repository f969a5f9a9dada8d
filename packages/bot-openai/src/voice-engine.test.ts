import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIRequestError } from './errors.js';
import { openaiTestApp } from './testing/test-app.js';
import { openAIError, silentMp3, type FakeOpenAI } from './testing/index.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function engine(raw: Record<string, unknown> = {}) {
  const app = await openaiTestApp({ bot_type: 'echo', voice_to_text: 'openai', text_to_voice: 'openai', ...raw });
  fake = app.fake;
  return { fake: app.fake, stt: app.bridge.speechToText!, tts: app.bridge.textToSpeech!, app };
}

describe('OpenAIVoiceEngine', () => {
  it('sends a well-formed multipart transcription: model, file bytes, a name with the right extension', async () => {
    const { fake, stt } = await engine({ voice_to_text_model: 'gpt-4o-mini-transcribe' });
    fake.setResponse('transcriptions', { text: ' 你好，世界 ' });
    const audio = silentMp3(0.5);
    expect(await stt.speechToText({ data: audio, format: 'wav' })).toBe('你好，世界');
    const { multipart } = fake.requestsTo('transcriptions')[0]!;
    expect(multipart!.fields.model).toBe('gpt-4o-mini-transcribe');
    expect(multipart!.files.file).toMatchObject({ filename: 'voice.wav', contentType: 'audio/wav' });
    expect(multipart!.files.file!.data.equals(audio)).toBe(true);
  });

  it('refuses formats the API cannot read, before any request', async () => {
    const { fake, stt } = await engine();
    expect(stt.inputFormats[0]).toBe('mp3');
    await expect(stt.speechToText({ data: Buffer.from('#!AMR\n'), format: 'amr' })).rejects.toThrow(/cannot read "amr".*mp3/);
    expect(fake.requests).toHaveLength(0);
  });

  it('asks for speech with the configured model and voice, and returns the MP3 bytes', async () => {
    const { fake, tts } = await engine({ text_to_voice_model: 'tts-1-hd', tts_voice_id: 'nova' });
    const mp3 = silentMp3(2);
    fake.setResponse('speech', { audio: mp3 });
    const audio = await tts.textToSpeech('早上好');
    expect(audio.format).toBe('mp3');
    expect(audio.data.equals(mp3)).toBe(true);
    expect(fake.requestsTo('speech')[0]!.json).toEqual({ model: 'tts-1-hd', voice: 'nova', input: '早上好', response_format: 'mp3' });
  });

  it('retries a 5xx and then fails with a message fit for the user', async () => {
    const { fake, tts, app } = await engine({ max_retries: 1 });
    fake.setHandler('speech', () => openAIError(500, 'tts backend down', 'server_error', null, { 'retry-after-ms': '5' }));
    const error = await tts.textToSpeech('hi').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAIRequestError);
    expect((error as OpenAIRequestError).userMessage).toBe('模型服务暂时不可用，请稍后再试。');
    expect((error as OpenAIRequestError).message).toContain('tts backend down');
    expect(fake.requestsTo('speech')).toHaveLength(2);
    expect(app.logLines.join('\n')).toContain('voice request failed; retrying');
  });
});
