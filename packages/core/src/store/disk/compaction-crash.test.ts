import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonLog } from './json-log.js';

const writer = fileURLToPath(new URL('./fixtures/compaction-writer.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-compaction-crash-'));
const log = join(dir, 'log.jsonl');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer from step `from` until it kills itself at the moment `when`; returns the steps it acknowledged. */
function runUntilKilled(from: number, when: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir, String(from), when], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      // Whole lines only: the kill may cut the last one short.
      const acked = [...out.matchAll(/^ok (\d+)\n/gm)].map((m) => Number(m[1]));
      const died = existsSync(join(dir, 'died')) ? readFileSync(join(dir, 'died'), 'utf8') : undefined;
      rmSync(join(dir, 'died'), { force: true });
      if (signal === 'SIGKILL' && died === when && acked.length > 0 && err === '') resolve(acked);
      else reject(new Error(`writer ended with ${signal ?? 'no signal'} (${acked.length} steps acknowledged); stdout ends:\n${out.slice(-300)}\nstderr:\n${err}`));
    });
  });
}

describe('an asynchronous compaction survives kill -9 at any moment', () => {
  it('keeps every acknowledged write and a whole file, killed while the snapshot is written, once it is, and after the rename', async () => {
    const acked = new Set<number>();
    let next = 0;
    for (const when of ['snapshot', 'written', 'renamed']) {
      const steps = await runUntilKilled(next, when);
      steps.forEach((n) => acked.add(n));
      next = Math.max(...acked) + 1;
      // Before the rename the new file is still a .tmp (dropped on the next open); after it, gone.
      expect(existsSync(`${log}.tmp`)).toBe(when !== 'renamed');
    }

    const state = new Map<string, unknown>();
    const badLines: number[] = [];
    const reopened = new JsonLog(log, {
      onRecord: (record) => state.set((record as { k: string }).k, (record as { v: unknown }).v),
      onBadLine: (n) => badLines.push(n),
      snapshot: () => [],
      onCompacted: () => {},
      onCompactFailed: () => {},
    });
    await reopened.close();
    expect(badLines).toEqual([]);
    expect(existsSync(`${log}.tmp`)).toBe(false);
    const lost = [...acked].filter((n) => state.get(`r${n}`) !== n);
    expect(lost).toEqual([]);
    for (let m = 0; m < 13; m++) {
      const last = Math.max(-1, ...[...acked].filter((n) => n % 13 === m));
      expect(state.get(`k${m}`) ?? -1).toBeGreaterThanOrEqual(last);
    }
    // The state written before the first compaction, carried through every rewrite.
    expect(Array.from({ length: 20_000 }, (_, j) => state.get(`big${j}`)).filter((v) => v !== 'x'.repeat(100))).toEqual([]);
  });
});
