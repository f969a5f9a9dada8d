/**
 * Helpers for the voice tests and the benchmark: real audio made by ffmpeg's own generators,
 * and a small speech engine that speaks the OpenAI audio API over HTTP (to the fake server),
 * so the bytes a transcription request carries are real and can be checked.
 */
import { execFile } from 'node:child_process';
import type { Audio, VoiceEngine } from '@wecom-bot/core';
import { locateFfmpeg } from '../voice/ffmpeg-locator.js';

let located: Promise<string> | undefined;

/** The ffmpeg the plugin would use; the tests need one with an AMR-NB encoder. */
export function testFfmpegPath(): Promise<string> {
  located ??= locateFfmpeg('').then((l) => {
    if (!l.chosen?.amrEncoder) throw new Error('voice tests need ffmpeg with an AMR-NB encoder (install @ffmpeg-installer/ffmpeg)');
    return l.chosen.path;
  });
  return located;
}

/** A sine tone of `seconds`, encoded by ffmpeg as `format` ("amr" = 8 kHz mono AMR-NB 12.2k; "speex" = Speex in Ogg). */
export async function makeTone(seconds: number, format: 'amr' | 'mp3' | 'wav' | 'speex', frequency = 440): Promise<Buffer> {
  const codec = {
    amr: ['-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', '-f', 'amr'],
    mp3: ['-c:a', 'libmp3lame', '-b:a', '32k', '-f', 'mp3'],
    wav: ['-c:a', 'pcm_s16le', '-f', 'wav'],
    speex: ['-ar', '16000', '-c:a', 'libspeex', '-f', 'ogg'],
  }[format];
  return ffmpegBytes(['-f', 'lavfi', '-i', `sine=frequency=${frequency}:duration=${seconds}`, '-ac', '1', ...codec, 'pipe:1']);
}

/** Decodes audio of a named format to 8 kHz mono s16le PCM: proves it is valid, and gives its length. */
export async function decodeToPcm(data: Buffer, format: string): Promise<{ pcm: Buffer; seconds: number }> {
  const pcm = await ffmpegBytes(['-f', format, '-i', 'pipe:0', '-ar', '8000', '-ac', '1', '-f', 's16le', 'pipe:1'], data);
  return { pcm, seconds: pcm.length / 2 / 8000 };
}

/** Root mean square of s16le samples: a tone is loud, silence is 0. */
export function rms(pcm: Buffer): number {
  let sum = 0;
  const n = Math.floor(pcm.length / 2);
  for (let i = 0; i < n; i++) sum += pcm.readInt16LE(i * 2) ** 2;
  return n === 0 ? 0 : Math.sqrt(sum / n);
}

async function ffmpegBytes(args: string[], stdin?: Buffer): Promise<Buffer> {
  const path = await testFfmpegPath();
  return new Promise((resolve, reject) => {
    const child = execFile(path, ['-hide_banner', '-loglevel', 'error', ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`ffmpeg failed: ${stderr.toString()}`)) : resolve(stdout),
    );
    if (stdin) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

/** A VoiceEngine speaking OpenAI's /audio/transcriptions and /audio/speech with fetch. */
export function httpSpeechEngine(baseURL: string, inputFormats: readonly string[] = ['mp3', 'wav']): VoiceEngine {
  return {
    name: 'http-test',
    inputFormats,
    async speechToText(audio: Audio) {
      const form = new FormData();
      form.set('model', 'whisper-1');
      form.set('file', new Blob([new Uint8Array(audio.data)], { type: `audio/${audio.format}` }), `voice.${audio.format}`);
      const response = await fetch(`${baseURL}/audio/transcriptions`, { method: 'POST', body: form, headers: { authorization: 'Bearer sk-test' } });
      if (!response.ok) throw new Error(`transcription failed: HTTP ${response.status}`);
      return ((await response.json()) as { text: string }).text;
    },
    async textToSpeech(text: string) {
      const response = await fetch(`${baseURL}/audio/speech`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
        body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: text, response_format: 'mp3' }),
      });
      if (!response.ok) throw new Error(`speech failed: HTTP ${response.status}`);
      return { data: Buffer.from(await response.arrayBuffer()), format: 'mp3' };
    },
  };
}
