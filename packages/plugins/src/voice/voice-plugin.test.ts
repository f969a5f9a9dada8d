import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ctxSet, createContext, INBOUND_MEDIA, type Audio, type Context, type ContextInit } from '@wecom-bot/core';
import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltinOptions } from '../builtins.js';
import { AmrRecordingChannel, pluginTestApp, sentTexts } from '../testing/index.js';
import { FfmpegTranscoder, type Transcoder } from './transcoder.js';
import { decodeToPcm, httpSpeechEngine, makeTone, rms, testFfmpegPath } from '../testing/audio.js';
import { VOICE_NOT_UNDERSTOOD } from './voice-plugin.js';

const AMR_MAGIC = Buffer.from('#!AMR\n');

function voiceMessage(data: Buffer, format = 'amr', init: Partial<ContextInit> = {}): Context {
  const context = createContext({ type: 'VOICE', content: 'media-1', channel: 'recording', senderId: 'alice', ...init });
  ctxSet(context, INBOUND_MEDIA, { format, load: async () => data });
  return context;
}


describe('voice plugin with the real ffmpeg', () => {
  let fake: FakeOpenAI;
  let amr3s: Buffer;

  beforeAll(async () => {
    await testFfmpegPath();
    amr3s = await makeTone(3, 'amr');
  });
  afterEach(async () => fake?.close());

  async function app(raw: Record<string, unknown> = {}, options: BuiltinOptions = {}) {
    fake = await startFakeOpenAI();
    const channel = new AmrRecordingChannel();
    const test = await pluginTestApp({ voice_to_text: 'http-test', text_to_voice: 'http-test', ...raw }, { channel, ...options });
    test.useVoiceEngine(httpSpeechEngine(fake.baseURL));
    return test;
  }

  it('transcodes WeCom AMR to MP3 for the engine, and answers the words as text', async () => {
    const { pipeline, recorder } = await app();
    fake.setResponse('transcriptions', { text: '今天天气怎么样' });
    expect(amr3s.subarray(0, 6)).toEqual(AMR_MAGIC);
    await pipeline.handle(voiceMessage(amr3s));
    expect(sentTexts(recorder)).toEqual(['今天天气怎么样']);
    const file = fake.requestsTo('transcriptions')[0]?.multipart?.files.file;
    expect(file?.filename).toBe('voice.mp3');
    // The request carries real audio: it decodes as MP3, lasts about 3 s, and is the tone, not silence.
    const decoded = await decodeToPcm(file!.data, 'mp3');
    expect(decoded.seconds).toBeGreaterThan(2.8);
    expect(decoded.seconds).toBeLessThan(3.3);
    expect(rms(decoded.pcm)).toBeGreaterThan(1000);
  });

  it('applies the group prefix rules to the transcribed words', async () => {
    const { pipeline, recorder } = await app({ group_speech_recognition: true, group_name_white_list: ['ALL_GROUP'] });
    const group = { isGroup: true, groupId: 'g1', groupName: 'Team', receiver: 'g1' };
    fake.setResponse('transcriptions', { text: 'just chatting' }, { text: '@bot what time is it' });
    await pipeline.handle(voiceMessage(amr3s, 'amr', group));
    await pipeline.handle(voiceMessage(amr3s, 'amr', { ...group, messageId: '2' }));
    // The first had no trigger and was dropped; the second is answered with an @-mention.
    expect(sentTexts(recorder)).toEqual(['@alice what time is it']);
    expect(fake.requestsTo('transcriptions')).toHaveLength(2);
  });

  it('answers a private voice message without the typed single-chat prefix', async () => {
    const { pipeline, recorder } = await app({ single_chat_prefix: ['bot'] });
    fake.setResponse('transcriptions', { text: 'hello there' });
    await pipeline.handle(voiceMessage(amr3s));
    expect(sentTexts(recorder)).toEqual(['hello there']);
  });

  it('with voice_reply_voice, answers voice with valid AMR-NB within the limits', async () => {
    const { pipeline, recorder } = await app({ voice_reply_voice: true });
    fake.setResponse('speech', { audio: await makeTone(3, 'mp3', 660) });
    await pipeline.handle(voiceMessage(amr3s));
    expect(recorder.sent).toHaveLength(1);
    const reply = recorder.sent[0]!.reply;
    expect(reply.type).toBe('VOICE');
    if (reply.type !== 'VOICE') return;
    expect(reply.content.data.subarray(0, 6)).toEqual(AMR_MAGIC);
    expect(reply.content.filename).toBe('reply.amr');
    expect(reply.content.data.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(reply.content.durationSeconds).toBeGreaterThan(2.8);
    expect(reply.content.durationSeconds).toBeLessThanOrEqual(60);
    const decoded = await decodeToPcm(reply.content.data, 'amr');
    expect(decoded.seconds).toBeCloseTo(3, 0);
    expect(rms(decoded.pcm)).toBeGreaterThan(1000);
    // Text input still gets a text reply: voice_reply_voice is for voice input only.
    await pipeline.handle(createContext({ type: 'TEXT', content: 'typed', channel: 'recording', senderId: 'alice' }));
    expect(recorder.sent[1]?.reply).toEqual({ type: 'TEXT', content: 'typed' });
  });

  it('splits a 70 s spoken reply into two AMR parts of at most 60 s, in order', async () => {
    const { pipeline, recorder } = await app({ always_reply_voice: true });
    fake.setResponse('speech', { audio: await makeTone(70, 'mp3') });
    await pipeline.handle(createContext({ type: 'TEXT', content: 'tell me a long story', channel: 'recording', senderId: 'alice' }));
    expect(recorder.sent.map((s) => s.reply.type)).toEqual(['VOICE', 'VOICE']);
    let total = 0;
    for (const [i, { reply }] of recorder.sent.entries()) {
      if (reply.type !== 'VOICE') throw new Error('not voice');
      expect(reply.content.filename).toBe(`reply-${i + 1}.amr`);
      expect(reply.content.data.subarray(0, 6)).toEqual(AMR_MAGIC);
      const { seconds } = await decodeToPcm(reply.content.data, 'amr');
      expect(seconds).toBeLessThanOrEqual(60);
      expect(reply.content.durationSeconds).toBeLessThanOrEqual(60);
      total += seconds;
    }
    expect(total).toBeGreaterThan(69.5);
    expect(total).toBeLessThan(70.5);
  });

  it.each([
    ['an HLS playlist', '#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n'],
    ['an ffconcat script', 'ffconcat version 1.0\nfile /etc/passwd\n'],
  ])('refuses %s disguised as .amr, without reading the file it names', async (_name, body) => {
    // A private temp root: other test files make voice temp dirs in the shared one meanwhile.
    const root = mkdtempSync(join(tmpdir(), 'voice-plugin-test-'));
    const { pipeline, recorder, logLines } = await app({}, { voice: { transcoder: new FfmpegTranscoder(await testFfmpegPath(), 30_000, root) } });
    await pipeline.handle(voiceMessage(Buffer.from(body)));
    expect(sentTexts(recorder)).toEqual([VOICE_NOT_UNDERSTOOD]);
    expect(fake.requestsTo('transcriptions')).toHaveLength(0);
    expect(logLines.join('\n')).not.toContain('root:');
    expect(logLines.some((l) => l.includes('could not be transcribed'))).toBe(true);
    expect(readdirSync(root)).toEqual([]);
  });

  it('refuses a declared playlist format outright', async () => {
    const { pipeline, recorder } = await app();
    await pipeline.handle(voiceMessage(Buffer.from('#EXTM3U\nfile:///etc/passwd\n'), 'hls'));
    expect(sentTexts(recorder)).toEqual([VOICE_NOT_UNDERSTOOD]);
    expect(fake.requestsTo('transcriptions')).toHaveLength(0);
  });

  it('keeps the text reply when speech synthesis fails', async () => {
    const { pipeline, recorder } = await app({ always_reply_voice: true });
    fake.setResponse('speech', { status: 500, error: { message: 'tts down' } });
    await pipeline.handle(createContext({ type: 'TEXT', content: 'still here', channel: 'recording', senderId: 'alice' }));
    expect(recorder.sent.map((s) => s.reply)).toEqual([{ type: 'TEXT', content: 'still here' }]);
  });

  it('runs at most voice_max_concurrent_transcodes ffmpeg conversions at once; the others wait their turn', async () => {
    const real = new FfmpegTranscoder(await testFfmpegPath(), 30_000);
    let running = 0;
    let most = 0;
    let runs = 0;
    // The real transcoder, counted; each run holds its slot a moment, so runs that could overlap do.
    const counted: Transcoder = {
      async convert(input: Audio, format: string) {
        running += 1;
        most = Math.max(most, running);
        try {
          await delay(20);
          return await real.convert(input, format);
        } finally {
          running -= 1;
          runs += 1;
        }
      },
      toVoiceParts: (input, spec) => real.toVoiceParts(input, spec),
    };
    const { pipeline, recorder } = await app({ voice_max_concurrent_transcodes: 2 }, { voice: { transcoder: counted } });
    const burst = Array.from({ length: 12 }, (_, i) => voiceMessage(amr3s, 'amr', { senderId: `user${i}`, messageId: `v${i}` }));
    await Promise.all(burst.map((m) => pipeline.handle(m)));
    expect(runs).toBe(12);
    expect(most).toBe(2);
    expect(sentTexts(recorder)).toEqual(Array.from({ length: 12 }, () => 'transcribed voice.mp3'));
  });
});
