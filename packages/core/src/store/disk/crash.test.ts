import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiskStores } from './index.js';

const writer = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer from step `from` and SIGKILLs it once `steps` more steps were acknowledged. */
function runUntilKilled(from: number, steps: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(from), '16'], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let last = from - 1;
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const acks = [...out.matchAll(/^ok (\d+)$/gm)];
      last = Number(acks.at(-1)?.[1] ?? last);
      if (last >= from + steps - 1) child.kill('SIGKILL');
    });
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && last >= from) resolve(last);
      else reject(new Error(`writer ended with ${signal ?? 'no signal'} after step ${last}; stderr:\n${err}`));
    });
  });
}

describe('disk stores survive kill -9 at any point', () => {
  it('keeps every acknowledged write through several kills mid-write and mid-compaction', async () => {
    let next = 0;
    // Kills land at different moments: after few steps (soon after replay) and after many.
    for (const steps of [3, 60, 25]) next = (await runUntilKilled(next, steps)) + 1;
    const acked = next - 1;

    const stores = await createDiskStores({ dir });
    const missing: string[] = [];
    for (let i = 0; i <= acked; i++) {
      if ((await stores.seen.remember(`m${i}`, 3_600_000)).first) missing.push(`seen m${i}`);
      const entry = await stores.outbox.get(`o${i}`);
      if ((i % 3 === 0) !== (entry === undefined)) missing.push(`outbox o${i}`);
    }
    expect(missing).toEqual([]);
    // Steps past the last acknowledged one may or may not have landed; acknowledged ones must have.
    for (let k = 0; k < 13; k++) {
      const last = acked - ((acked - k) % 13 + 13) % 13;
      expect((await stores.settings.get<{ i: number }>(`k${k}`))?.i).toBeGreaterThanOrEqual(last);
    }
    for (let u = 0; u < 5; u++) {
      // A step cut off by the kill is run again by the next writer: its answer may be there twice.
      const answers = [...new Set(await stores.pending.take<number>(`u${u}`))];
      expect(answers.filter((i) => i <= acked)).toEqual(Array.from({ length: acked + 1 }, (_, i) => i).filter((i) => i % 5 === u));
    }
    await stores.close();
  });
});
