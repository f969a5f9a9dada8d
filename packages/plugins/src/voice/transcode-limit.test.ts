import { availableParallelism } from 'node:os';
import { setImmediate as turn } from 'node:timers/promises';
import type { Audio } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { limitTranscoder } from './transcode-limit.js';
import type { Transcoder } from './transcoder.js';

/** A transcoder whose runs end when the test says so, recording which started. */
function gatedTranscoder() {
  const started: string[] = [];
  const finish: Array<() => void> = [];
  const run = async (input: Audio): Promise<Audio> => {
    started.push(input.data.toString());
    await new Promise<void>((resolve) => finish.push(resolve));
    return input;
  };
  const transcoder: Transcoder = { convert: run, toVoiceParts: async (input) => [{ ...(await run(input)), durationSeconds: 1 }] };
  return { transcoder, started, finishOne: () => finish.shift()?.() };
}

const clip = (name: string): Audio => ({ data: Buffer.from(name), format: 'amr' });

describe('limitTranscoder', () => {
  it('with 0, runs one conversion per CPU at once, and the rest in arrival order', async () => {
    const gated = gatedTranscoder();
    const limited = limitTranscoder(gated.transcoder, () => 0);
    const cpus = availableParallelism();
    const names = Array.from({ length: cpus + 3 }, (_, i) => `clip${i}`);
    const all = names.map((name, i) => (i % 2 ? limited.convert(clip(name), 'mp3') : limited.toVoiceParts(clip(name), { format: 'amr', maxSeconds: 60, maxBytes: 1 << 21 })));
    await turn();
    expect(gated.started).toEqual(names.slice(0, cpus));
    for (let done = 1; done <= 3; done++) {
      gated.finishOne();
      await turn();
      expect(gated.started).toEqual(names.slice(0, cpus + done));
    }
    names.forEach(() => gated.finishOne());
    await Promise.all(all);
  });

  it('frees the slot of a run that fails', async () => {
    const failing: Transcoder = { convert: async () => Promise.reject(new Error('bad audio')), toVoiceParts: async () => [] };
    const limited = limitTranscoder(failing, () => 1);
    await expect(limited.convert(clip('a'), 'mp3')).rejects.toThrow('bad audio');
    await expect(limited.toVoiceParts(clip('b'), { format: 'amr', maxSeconds: 60, maxBytes: 1 })).resolves.toEqual([]);
  });
});
