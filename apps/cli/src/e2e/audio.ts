import { spawn } from 'node:child_process';
import { locateFfmpeg } from '@wecom-bot/plugins';

/** The ffmpeg the product itself would pick (the one with the AMR-NB encoder). */
async function ffmpegPath(): Promise<string> {
  const { chosen } = await locateFfmpeg('');
  if (!chosen?.amrEncoder) throw new Error('the e2e voice tests need an ffmpeg with libopencore_amrnb (@ffmpeg-installer/ffmpeg has one)');
  return chosen.path;
}

function ffmpeg(args: string[], input?: Buffer): Promise<Buffer> {
  return ffmpegPath().then(
    (path) =>
      new Promise((resolve, reject) => {
        const child = spawn(path, ['-hide_banner', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        let err = '';
        child.stdout.on('data', (d: Buffer) => out.push(d));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`ffmpeg ${args.join(' ')} failed (${code}): ${err}`))));
        child.stdin.end(input);
      }),
  );
}

/** A voice message as WeCom delivers it: AMR-NB, 8 kHz mono, 12.2 kbit/s, here a 440 Hz tone. */
export function toneAmr(seconds: number): Promise<Buffer> {
  return ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-ar', '8000', '-ac', '1', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k', '-f', 'amr', 'pipe:1']);
}

/** Decodes any audio ffmpeg can read to 8 kHz mono and reports how long and how loud it is. */
export async function measureAudio(data: Buffer): Promise<{ seconds: number; rms: number }> {
  const pcm = await ffmpeg(['-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '8000', 'pipe:1'], data);
  let sum = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += pcm.readInt16LE(i) ** 2;
  const samples = Math.floor(pcm.length / 2);
  return { seconds: samples / 8000, rms: samples ? Math.sqrt(sum / samples) : 0 };
}
