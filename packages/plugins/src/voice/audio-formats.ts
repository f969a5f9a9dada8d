/**
 * The audio formats we let ffmpeg read and write, by the names engines and channels use.
 * Only these demuxers are ever named: never a playlist or concat demuxer, never probing,
 * so a crafted file cannot make ffmpeg open another file or URL.
 */
export interface AudioFormatSpec {
  /** Demuxer named with `-f` on input, plus options raw formats need. */
  demuxer: string;
  inputOptions?: string[];
  /** Muxer and encoder for output. */
  muxer: string;
  codec: string;
  /** Output sample rate: 8 kHz is what AMR-NB carries; 16 kHz suits speech recognition. */
  sampleRate: number;
  bitrate?: string;
  extension: string;
  mimeType: string;
}

const FORMATS: Record<string, AudioFormatSpec> = {
  amr: { demuxer: 'amr', muxer: 'amr', codec: 'libopencore_amrnb', sampleRate: 8000, bitrate: '12.2k', extension: 'amr', mimeType: 'audio/amr' },
  mp3: { demuxer: 'mp3', muxer: 'mp3', codec: 'libmp3lame', sampleRate: 16000, bitrate: '32k', extension: 'mp3', mimeType: 'audio/mpeg' },
  wav: { demuxer: 'wav', muxer: 'wav', codec: 'pcm_s16le', sampleRate: 16000, extension: 'wav', mimeType: 'audio/wav' },
  ogg: { demuxer: 'ogg', muxer: 'ogg', codec: 'libopus', sampleRate: 16000, bitrate: '24k', extension: 'ogg', mimeType: 'audio/ogg' },
  // Speex in Ogg (WeCom's "speex" voice): read with the ogg demuxer; a separate name, because
  // speech engines that take Ogg take Opus or Vorbis in it, not Speex.
  speex: { demuxer: 'ogg', muxer: 'ogg', codec: 'libspeex', sampleRate: 16000, extension: 'spx', mimeType: 'audio/ogg' },
  flac: { demuxer: 'flac', muxer: 'flac', codec: 'flac', sampleRate: 16000, extension: 'flac', mimeType: 'audio/flac' },
  aac: { demuxer: 'aac', muxer: 'adts', codec: 'aac', sampleRate: 16000, bitrate: '32k', extension: 'aac', mimeType: 'audio/aac' },
  // OpenAI's "pcm" speech output: raw 24 kHz 16-bit little-endian mono.
  pcm: { demuxer: 's16le', inputOptions: ['-ar', '24000', '-ac', '1'], muxer: 's16le', codec: 'pcm_s16le', sampleRate: 24000, extension: 'pcm', mimeType: 'audio/pcm' },
};
const ALIASES: Record<string, string> = { opus: 'ogg', mpeg: 'mp3', wave: 'wav', 'amr-nb': 'amr', amrnb: 'amr' };

export function audioFormat(name: string): AudioFormatSpec {
  const key = name.toLowerCase();
  const spec = FORMATS[ALIASES[key] ?? key];
  if (!spec) throw new Error(`Unsupported audio format "${name}". Supported: ${Object.keys(FORMATS).join(', ')}.`);
  return spec;
}
