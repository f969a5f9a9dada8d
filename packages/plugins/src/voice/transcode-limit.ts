import { availableParallelism } from 'node:os';
import type { Transcoder } from './transcoder.js';

/**
 * `transcoder` running at most `max()` conversions at once; the others wait their turn, in
 * arrival order. Each run is an ffmpeg process taking a CPU: a burst of voice messages must
 * not start one each. `max()` is read whenever a run could start, so a `#reload` applies;
 * 0 means one per CPU.
 */
export function limitTranscoder(transcoder: Transcoder, max: () => number): Transcoder {
  let running = 0;
  const waiting: Array<() => void> = [];
  const startWaiting = () => {
    const slots = max() || availableParallelism();
    while (running < slots && waiting.length > 0) {
      running += 1;
      waiting.shift()!();
    }
  };
  const limited = async <T>(run: () => Promise<T>): Promise<T> => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      startWaiting();
    });
    try {
      return await run();
    } finally {
      running -= 1;
      startWaiting();
    }
  };
  return {
    convert: (input, format) => limited(() => transcoder.convert(input, format)),
    toVoiceParts: (input, spec) => limited(() => transcoder.toVoiceParts(input, spec)),
  };
}
