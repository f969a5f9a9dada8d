/**
 * The container a voice message really is, from its first bytes. WeCom's `Format` is only a
 * label: speex voice arrives, and some clients label MP3 or WAV "amr". ffmpeg is always
 * told the input format (it never probes untrusted media), so a wrong label would make it
 * fail; the bytes are asked instead. Undefined when they match none of these: the label
 * stands, and ffmpeg refuses what it cannot read.
 */
export function sniffAudioFormat(data: Buffer): string | undefined {
  const ascii = (start: number, end: number) => data.subarray(start, end).toString('latin1');
  // "#!AMR\n" (AMR-NB) and "#!AMR-WB\n": ffmpeg's amr demuxer reads both.
  if (ascii(0, 5) === '#!AMR') return 'amr';
  // Ogg's first page carries the codec's header packet at byte 28.
  if (ascii(0, 4) === 'OggS') return ascii(28, 36) === 'Speex   ' ? 'speex' : 'ogg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  const [b0 = 0, b1 = 0] = data;
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return 'aac'; // ADTS: sync, layer 00
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x06) !== 0) return 'mp3'; // MPEG audio frame sync, layer I–III
  return undefined;
}
