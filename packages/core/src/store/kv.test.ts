import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { MemoryKv } from './kv.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

describe('MemoryKv', () => {
  it('keeps a key cut from a large string without keeping that string alive', async () => {
    const kv = new MemoryKv();
    const count = 5000;
    const before = heapAfterGc();
    for (let i = 0; i < count; i++) {
      // As a message id read out of a decrypted callback: a short piece of a long, fresh string.
      const message = `<xml><MsgId>${String(7320098765432100000n + BigInt(i))}</MsgId>${'x'.repeat(4000)}</xml>`;
      const key = `id:${message.slice(12, 31)}`;
      await kv.set(key, '{}', 0, 'written');
    }
    const perKey = (heapAfterGc() - before) / count;
    expect(kv.get('id:7320098765432100042')).toBe('{}');
    // Each message is 4 KB; a kept key with its entry is a few hundred bytes.
    expect(perKey).toBeLessThan(1000);
  });
});
