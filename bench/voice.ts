// The voice path's own cost, without the speech engine: AMR in → audio for the engine
// (voice message → text), and engine audio → AMR parts (text → voice reply), for a 3 s and a
// 60 s clip. The ffmpeg start-up baseline (`ffmpeg -version`, and a transcode of 0.1 s) shows
// how much of each run is just starting ffmpeg.
// Run: pnpm exec tsx bench/voice.ts
import { execFile, execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { FfmpegTranscoder, locateFfmpeg } from '@wecom-bot/plugins';

const location = await locateFfmpeg('');
if (!location.chosen?.amrEncoder) throw new Error('no ffmpeg with an AMR-NB encoder: install @ffmpeg-installer/ffmpeg');
const ffmpeg = location.chosen.path;
const transcoder = new FfmpegTranscoder(ffmpeg, 60_000);
const WECOM = { format: 'amr', maxSeconds: 60, maxBytes: 2 * 1024 * 1024 };

function tone(seconds: number, format: 'amr' | 'mp3'): Buffer {
  const codec = format === 'amr' ? ['-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k'] : ['-c:a', 'libmp3lame', '-b:a', '64k', '-ar', '24000'];
  return execFileSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ac', '1', ...codec, '-f', format, 'pipe:1'], {
    maxBuffer: 64 * 1024 * 1024,
  });
}

async function measure(runs: number, fn: () => Promise<unknown>): Promise<{ median: number; p90: number }> {
  await fn(); // warm-up: fluent-ffmpeg's one-time capability probe, file cache
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, p90: times[Math.min(times.length - 1, Math.ceil(times.length * 0.9) - 1)]! };
}

const version = () => new Promise<void>((resolve, reject) => execFile(ffmpeg, ['-version'], (e) => (e ? reject(e) : resolve())));
const tiny = tone(0.1, 'amr');
const startup = await measure(20, version);
const nullTranscode = await measure(20, () => transcoder.convert({ data: tiny, format: 'amr' }, 'mp3'));

console.log(`ffmpeg: ${ffmpeg} (${location.chosen.source})`);
console.log(`start-up baseline: ffmpeg -version ${startup.median.toFixed(1)} ms; 0.1 s AMR→MP3 through the transcoder ${nullTranscode.median.toFixed(1)} ms (median of 20)`);
console.log('');
console.log('path                          clip   input KB  median ms  p90 ms  x realtime  start-up share');
for (const seconds of [3, 60]) {
  const runs = seconds === 3 ? 20 : 8;
  const amr = tone(seconds, 'amr');
  const mp3 = tone(seconds, 'mp3');
  const rows: Array<[string, Buffer, () => Promise<unknown>]> = [
    ['voice in  (AMR → MP3)', amr, () => transcoder.convert({ data: amr, format: 'amr' }, 'mp3')],
    ['voice out (MP3 → AMR parts)', mp3, () => transcoder.toVoiceParts({ data: mp3, format: 'mp3' }, WECOM)],
  ];
  for (const [name, input, fn] of rows) {
    const { median, p90 } = await measure(runs, fn);
    const share = Math.min(100, (nullTranscode.median / median) * 100);
    console.log(
      `${name.padEnd(29)} ${`${seconds} s`.padStart(5)} ${(input.length / 1024).toFixed(1).padStart(9)} ${median.toFixed(1).padStart(10)} ${p90.toFixed(1).padStart(7)} ${((seconds * 1000) / median).toFixed(0).padStart(10)}x ${share.toFixed(0).padStart(13)}%`,
    );
  }
}
