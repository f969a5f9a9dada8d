import { FfmpegTranscoder, describeLocation, locateFfmpeg } from '@wecom-bot/plugins';

/** A clip a browser can play, with its length. */
export interface PlayableVoice {
  wav: Buffer;
  seconds: number;
}

/**
 * The voice plugin's own ffmpeg (located and driven the same way, so the dev server meets the
 * same binary and limits as the bot): what the page records becomes AMR, as WeCom carries
 * voice, and AMR becomes WAV, which a browser can play and AMR is not.
 */
export class VoiceTools {
  private constructor(private readonly transcoder: FfmpegTranscoder) {}

  /** Tools when an ffmpeg with an AMR-NB encoder is found; otherwise why not, to show on the page. */
  static async locate(ffmpegPath: string, timeoutSeconds: number): Promise<{ tools?: VoiceTools; problem?: string }> {
    const location = await locateFfmpeg(ffmpegPath);
    if (!location.chosen?.amrEncoder) return { problem: describeLocation(location) };
    return { tools: new VoiceTools(new FfmpegTranscoder(location.chosen.path, timeoutSeconds * 1000)) };
  }

  /** `format`: what the page sent ("wav" from the recorder, "amr", "mp3" …). */
  async toAmr(data: Buffer, format: string): Promise<Buffer> {
    if (format === 'amr') return data;
    return (await this.transcoder.convert({ data, format }, 'amr')).data;
  }

  async playable(amr: Buffer): Promise<PlayableVoice> {
    const wav = (await this.transcoder.convert({ data: amr, format: 'amr' }, 'wav')).data;
    return { wav, seconds: wavSeconds(wav) };
  }
}

/** Length of a PCM WAV from its header (fmt and data chunks), 0 when it cannot be read. */
export function wavSeconds(wav: Buffer): number {
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 16 <= wav.length) byteRate = wav.readUInt32LE(offset + 16);
    // ffmpeg writes a data size of 0 or 0xFFFFFFFF when it cannot seek back; the rest of the file is the data then.
    if (id === 'data') return byteRate > 0 ? Math.min(size, wav.length - offset - 8) / byteRate : 0;
    offset += 8 + size + (size % 2);
  }
  return 0;
}
