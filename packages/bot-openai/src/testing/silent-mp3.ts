/**
 * Real MP3 audio without an encoder: MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, mono)
 * whose side information is all zeros decode as silence in every decoder, ffmpeg included.
 * Each frame carries 1152 samples (about 26 ms).
 */
const FRAME_HEADER = Buffer.from([0xff, 0xfb, 0x90, 0xc4]); // sync, MPEG-1 L3, no CRC, 128k, 44.1k, no pad, mono
const FRAME_BYTES = 417; // floor(144 * 128000 / 44100)
const SECONDS_PER_FRAME = 1152 / 44100;

export function silentMp3(seconds = 1): Buffer {
  const frames = Math.max(1, Math.ceil(seconds / SECONDS_PER_FRAME));
  const frame = Buffer.alloc(FRAME_BYTES);
  FRAME_HEADER.copy(frame);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}
