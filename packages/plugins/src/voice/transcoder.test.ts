import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTone, decodeToPcm, testFfmpegPath } from '../testing/audio.js';
import { FfmpegTranscoder, TranscodeError } from './transcoder.js';


describe('FfmpegTranscoder', () => {
  let ffmpeg: string;
  beforeAll(async () => {
    ffmpeg = await testFfmpegPath();
  });

  it('stops a run that exceeds its time limit, and removes its temporary files', async () => {
    const amr = await makeTone(60, 'amr');
    // A private temp root: other test files make voice temp dirs in the shared one meanwhile.
    const root = mkdtempSync(join(tmpdir(), 'transcoder-test-'));
    const error = await new FfmpegTranscoder(ffmpeg, 5, root).convert({ data: amr, format: 'amr' }, 'wav').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TranscodeError);
    expect((error as Error).message).toContain('took longer than 0.005 s');
    expect(readdirSync(root)).toEqual([]);
  });

  it('splits by bytes too: a byte limit below one minute of AMR gives more, smaller parts', async () => {
    const mp3 = await makeTone(20, 'mp3');
    // AMR-NB 12.2k is 1600 bytes a second: 12 000 bytes hold about 7 s.
    const parts = await new FfmpegTranscoder(ffmpeg, 30_000).toVoiceParts({ data: mp3, format: 'mp3' }, { format: 'amr', maxSeconds: 60, maxBytes: 12_000 });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    let total = 0;
    for (const part of parts) {
      expect(part.data.length).toBeLessThanOrEqual(12_000);
      total += (await decodeToPcm(part.data, 'amr')).seconds;
    }
    expect(total).toBeGreaterThan(19.5);
    expect(total).toBeLessThan(20.5);
  });

  it('refuses a format outside its list before running ffmpeg', async () => {
    const error = await new FfmpegTranscoder(ffmpeg, 30_000).convert({ data: Buffer.from('x'), format: 'concat' }, 'mp3').catch((e: unknown) => e);
    expect((error as Error).message).toContain('Unsupported audio format "concat"');
  });
});
