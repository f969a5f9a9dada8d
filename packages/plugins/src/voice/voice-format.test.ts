import { ctxSet, createContext, INBOUND_MEDIA, type Context } from '@wecom-bot/core';
import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AmrRecordingChannel, pluginTestApp, sentTexts } from '../testing/index.js';
import { decodeToPcm, httpSpeechEngine, makeTone, rms, testFfmpegPath } from '../testing/audio.js';

function voiceMessage(data: Buffer, format: string): Context {
  const context = createContext({ type: 'VOICE', content: 'media-1', channel: 'recording', senderId: 'alice' });
  ctxSet(context, INBOUND_MEDIA, { format, load: async () => data });
  return context;
}

// WeCom's Format is a label: speex voice, or a client that labels MP3 "amr", must still be heard.
describe('voice plugin reads what the bytes are, not what Format says', () => {
  let fake: FakeOpenAI;
  beforeAll(() => testFfmpegPath());
  afterEach(async () => fake?.close());

  async function app() {
    fake = await startFakeOpenAI();
    const test = await pluginTestApp({ voice_to_text: 'http-test' }, { channel: new AmrRecordingChannel() });
    test.useVoiceEngine(httpSpeechEngine(fake.baseURL, ['mp3', 'wav']));
    fake.setResponse('transcriptions', { text: '听到了' });
    return test;
  }

  it.each([
    ['Speex in Ogg, labelled speex', 'speex', 'speex', 'mp3'],
    ['AMR, labelled speex', 'amr', 'speex', 'mp3'],
    ['Speex in Ogg, labelled amr', 'speex', 'amr', 'mp3'],
    ['MP3, labelled amr', 'mp3', 'amr', 'mp3'],
    ['WAV, labelled amr', 'wav', 'amr', 'wav'],
  ] as const)('transcribes %s', async (_name, made, label, sent) => {
    const { pipeline, recorder } = await app();
    await pipeline.handle(voiceMessage(await makeTone(2, made), label));
    expect(sentTexts(recorder)).toEqual(['听到了']);
    const file = fake.requestsTo('transcriptions')[0]!.multipart!.files.file!;
    expect(file.filename).toBe(`voice.${sent}`);
    // Real audio reached the engine: about 2 s of the tone, not silence or noise.
    const heard = await decodeToPcm(file.data, sent);
    expect(heard.seconds).toBeGreaterThan(1.8);
    expect(heard.seconds).toBeLessThan(2.3);
    expect(rms(heard.pcm)).toBeGreaterThan(300);
  });

  it('hands audio the engine takes to it untouched, and logs the wrong label', async () => {
    const { pipeline, logLines } = await app();
    const mp3 = await makeTone(1, 'mp3');
    await pipeline.handle(voiceMessage(mp3, 'amr'));
    expect(fake.requestsTo('transcriptions')[0]!.multipart!.files.file!.data.equals(mp3)).toBe(true);
    expect(logLines.some((l) => l.includes('"declared":"amr"') && l.includes('"detected":"mp3"'))).toBe(true);
  });
});
