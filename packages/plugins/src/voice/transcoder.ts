import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Audio, VoiceOutputSpec } from '@wecom-bot/core';
import type ffmpegFactory from 'fluent-ffmpeg';
import type { FfmpegCommand } from 'fluent-ffmpeg';
import { audioFormat } from './audio-formats.js';

/** fluent-ffmpeg is loaded at the first transcode, not at start-up (a bot may never get voice). */
const loadFfmpeg = () => createRequire(import.meta.url)('fluent-ffmpeg') as typeof ffmpegFactory;

/** One clip of a voice reply, within the channel's limits. */
export interface VoicePart extends Audio {
  durationSeconds: number;
}

/** What the voice plugin needs from ffmpeg; the only module that knows how ffmpeg is driven. */
export interface Transcoder {
  /** `input` re-encoded as mono `format` (e.g. for a speech engine). */
  convert(input: Audio, format: string): Promise<Audio>;
  /** `input` encoded for a channel and split into parts of ≤ maxSeconds and ≤ maxBytes. */
  toVoiceParts(input: Audio, spec: VoiceOutputSpec): Promise<VoicePart[]>;
}

export class TranscodeError extends Error {
  override name = 'TranscodeError';
}

/** Parts shorter than this are the encoder's trailing padding, not speech. */
const MIN_PART_SECONDS = 0.1;
const MAX_SPLIT_ATTEMPTS = 3;

/**
 * fluent-ffmpeg is archived upstream: everything that touches it lives here, so it can be
 * replaced by `child_process.spawn` without changing a caller. Every run names the input
 * format, allows only the file and pipe protocols, has a time limit, and works in a
 * temporary directory that is removed afterwards.
 */
export class FfmpegTranscoder implements Transcoder {
  constructor(
    private readonly ffmpegPath: string,
    private readonly timeoutMs: number,
    /** Where each run's temporary directory is made (tests use a private one to check clean-up). */
    private readonly tempRoot: string = tmpdir(),
  ) {}

  async convert(input: Audio, format: string): Promise<Audio> {
    const out = audioFormat(format);
    return this.inTempDir(input, async (dir, inputPath) => {
      const outputPath = join(dir, `output.${out.extension}`);
      await this.run(inputPath, input.format, (cmd) => encodeAs(cmd.output(outputPath), format).format(out.muxer));
      return { data: await readFile(outputPath), format };
    });
  }

  async toVoiceParts(input: Audio, spec: VoiceOutputSpec): Promise<VoicePart[]> {
    const out = audioFormat(spec.format);
    // A little under the limit: segments end on the first packet past the cut.
    let segmentSeconds = Math.max(1, spec.maxSeconds - 0.5);
    return this.inTempDir(input, async (dir, inputPath) => {
      for (let attempt = 1; attempt <= MAX_SPLIT_ATTEMPTS; attempt++) {
        const parts = await this.segment(dir, inputPath, input.format, spec.format, out.extension, out.muxer, segmentSeconds, attempt);
        const largest = parts.reduce((a, b) => (b.data.length > a.data.length ? b : a));
        if (largest.data.length <= spec.maxBytes) return parts;
        // Too many bytes per part (a high-bitrate format): cut parts short enough and try again.
        segmentSeconds = Math.max(1, largest.durationSeconds * (spec.maxBytes / largest.data.length) * 0.9);
      }
      throw new TranscodeError(`could not split the voice reply into parts of at most ${spec.maxBytes} bytes`);
    });
  }

  private async segment(
    dir: string,
    inputPath: string,
    inputFormat: string,
    format: string,
    extension: string,
    muxer: string,
    seconds: number,
    attempt: number,
  ): Promise<VoicePart[]> {
    const listPath = join(dir, `parts-${attempt}.csv`);
    const pattern = join(dir, `part-${attempt}-%03d.${extension}`);
    await this.run(inputPath, inputFormat, (cmd) =>
      encodeAs(cmd.output(pattern), format)
        .format('segment')
        .outputOptions(['-segment_time', seconds.toFixed(3), '-segment_format', muxer, '-segment_list', listPath, '-segment_list_type', 'csv']),
    );
    const rows = (await readFile(listPath, 'utf8')).trim().split('\n').filter(Boolean);
    const parts: VoicePart[] = [];
    for (const row of rows) {
      const [file, start, end] = row.split(',');
      const durationSeconds = Number(end) - Number(start);
      if (parts.length > 0 && durationSeconds < MIN_PART_SECONDS) continue;
      parts.push({ data: await readFile(join(dir, file ?? '')), format, durationSeconds: Math.round(durationSeconds * 100) / 100 });
    }
    if (parts.length === 0) throw new TranscodeError('ffmpeg produced no audio');
    return parts;
  }

  private async inTempDir<T>(input: Audio, work: (dir: string, inputPath: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(this.tempRoot, 'wecom-bot-voice-'));
    try {
      // No extension: ffmpeg must never guess the format from the name.
      const inputPath = join(dir, 'input');
      await writeFile(inputPath, input.data);
      return await work(dir, inputPath);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private run(inputPath: string, inputFormat: string, build: (cmd: FfmpegCommand) => FfmpegCommand): Promise<void> {
    const source = audioFormat(inputFormat);
    const command = loadFfmpeg()({ stdoutLines: 0 })
      .setFfmpegPath(this.ffmpegPath)
      .input(inputPath)
      .inputFormat(source.demuxer)
      .inputOptions(['-protocol_whitelist', 'file,pipe', ...(source.inputOptions ?? [])]);
    build(command).outputOptions(['-vn', '-map_metadata', '-1']);
    return new Promise<void>((resolve, reject) => {
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      const fail = (why: string) => reject(new TranscodeError(`ffmpeg could not read the ${inputFormat} audio: ${why}`));
      const tooLong = () => `took longer than ${this.timeoutMs / 1000} s and was stopped`;
      // The clock starts when ffmpeg is running: a kill before the spawn would be lost.
      command.on('start', () => {
        timer = setTimeout(() => {
          timedOut = true;
          command.kill('SIGKILL');
        }, this.timeoutMs);
      });
      command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
        clearTimeout(timer);
        fail(timedOut ? tooLong() : lastLine(stderr) || error.message);
      });
      command.on('end', () => {
        clearTimeout(timer);
        if (timedOut) fail(tooLong());
        else resolve();
      });
      command.run();
    });
  }
}

function encodeAs(command: FfmpegCommand, format: string): FfmpegCommand {
  const spec = audioFormat(format);
  command.audioCodec(spec.codec).audioChannels(1).audioFrequency(spec.sampleRate);
  if (spec.bitrate) command.audioBitrate(spec.bitrate);
  return command;
}

function lastLine(stderr: string | null): string {
  const lines = (stderr ?? '').trim().split('\n').filter((l) => l.trim() !== '');
  return lines.at(-1)?.trim() ?? '';
}
