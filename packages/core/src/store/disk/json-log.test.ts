import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonLog, SOON_MS } from './json-log.js';
import { LogFile } from './log-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
afterEach(() => vi.restoreAllMocks());

/** A log of `{k, v}` lines over a map, as DiskKv keeps one; the test sees its compactions. */
function openLog(path: string) {
  const state = new Map<string, string>();
  const seen = { compactions: 0, failures: [] as unknown[], badLines: [] as number[] };
  const log = new JsonLog(path, {
    onRecord: (record, line) => state.set((record as { k: string }).k, line),
    onBadLine: (n) => seen.badLines.push(n),
    snapshot: () => [...state.values()],
    onCompacted: () => (seen.compactions += 1),
    onCompactFailed: (error) => seen.failures.push(error),
  });
  const set = (k: string, v: unknown, durable: boolean) => {
    const line = JSON.stringify({ k, v });
    state.set(k, line);
    return log.append(line, durable ? 'synced' : 'written');
  };
  return { log, state, seen, set };
}

function fileLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean);
}

/** 20,000 keys written twice: a file of 40,000 lines whose snapshot (~2.6 MB) takes many chunks to write. */
async function bigLog() {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-json-log-'));
  dirs.push(dir);
  const path = join(dir, 'log.jsonl');
  const opened = openLog(path);
  for (let pass = 0; pass < 2; pass++) for (let j = 0; j < 20_000; j++) void opened.set(`big${j}`, `${pass}${'x'.repeat(100)}`, false);
  return { path, ...opened };
}

describe('JsonLog appends', () => {
  it('writes the appends of one turn together at its end, durable or not, in the order they came', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-json-log-'));
    dirs.push(dir);
    const path = join(dir, 'log.jsonl');
    const { log, set } = openLog(path);
    const durable = [set('a', 1, true), set('b', 2, true)];
    const plain = set('c', 3, false);
    // Nothing is written before the turn's end, plain or durable: then all go in one write.
    expect(fileLines(path)).toEqual([]);
    await plain;
    expect(fileLines(path)).toEqual(['{"k":"a","v":1}', '{"k":"b","v":2}', '{"k":"c","v":3}']);
    await Promise.all(durable);
    const next = [set('a', 4, false), set('d', 5, true)];
    expect(fileLines(path)).toHaveLength(3);
    await Promise.all(next);
    expect(fileLines(path).slice(3)).toEqual(['{"k":"a","v":4}', '{"k":"d","v":5}']);
    // Closing writes what is still waiting.
    void set('e', 6, false);
    await log.close();
    expect(fileLines(path)).toHaveLength(6);
    const again = openLog(path);
    expect(new Map(again.state)).toEqual(
      new Map([
        ['a', '{"k":"a","v":4}'],
        ['b', '{"k":"b","v":2}'],
        ['c', '{"k":"c","v":3}'],
        ['d', '{"k":"d","v":5}'],
        ['e', '{"k":"e","v":6}'],
      ]),
    );
    await again.log.close();
  });

  it("settles 'soon' appends once written and fsyncs them within SOON_MS, once for all, unless a durable append's fsync covered them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-json-log-'));
    dirs.push(dir);
    const path = join(dir, 'log.jsonl');
    const { log } = openLog(path);
    const fsyncs = vi.spyOn(LogFile.prototype, 'sync');
    await Promise.all([log.append('{"k":"a","v":1}', 'soon'), log.append('{"k":"b","v":2}', 'soon')]);
    expect(fileLines(path)).toHaveLength(2);
    expect(fsyncs).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(fsyncs).toHaveBeenCalledTimes(1), { timeout: SOON_MS * 3, interval: 50 });

    // A durable append's fsync covers the 'soon' lines written before it: no second one for them.
    void log.append('{"k":"c","v":3}', 'soon');
    await log.append('{"k":"d","v":4}', 'synced');
    expect(fsyncs).toHaveBeenCalledTimes(2);
    await new Promise((resolve) => setTimeout(resolve, SOON_MS + 200));
    expect(fsyncs).toHaveBeenCalledTimes(2);
    await log.close();
  });
});

describe('JsonLog on a crash', () => {
  it('writes the appends of the turn on which the process exits (process.exit after a crash)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-json-log-'));
    dirs.push(dir);
    const path = join(dir, 'log.jsonl');
    const logModule = fileURLToPath(new URL('./json-log.ts', import.meta.url));
    // As the CLI's crash handler: appended, then process.exit in the same turn.
    const script = `
      const { JsonLog } = await import(${JSON.stringify(logModule)});
      const hooks = { onRecord() {}, onBadLine() {}, snapshot: () => [], onCompacted() {}, onCompactFailed() {} };
      const log = new JsonLog(${JSON.stringify(path)}, hooks);
      void log.append('{"k":"plain"}', 'written');
      void log.append('{"k":"durable"}', 'synced');
      process.exit(70);
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(70);
    expect(fileLines(path)).toEqual(['{"k":"plain"}', '{"k":"durable"}']);
  });
});

describe('JsonLog compacts beside the appends', () => {
  it('keeps every append made while the new file is written and after the rename, before the directory is on disk', async () => {
    const { path, log, state, seen, set } = await bigLog();
    log.compact();
    const durable: Promise<void>[] = [];
    let during = 0;
    let sawTmp = false;
    const phases = new Set<string>();
    // One write per turn of the event loop, durable or not, until the compaction is done.
    for (let i = 0; log.compacting; i++) {
      during += 1;
      const written = set(i % 3 === 0 ? `big${i}` : `new${i}`, i, i % 2 === 0);
      if (i % 2 === 0) durable.push(written);
      const tmp = existsSync(`${path}.tmp`);
      sawTmp ||= tmp;
      if (tmp) phases.add('new file being written');
      else if (sawTmp) phases.add('renamed');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(durable);
    void set('after', 'the compaction', true);
    await log.close();

    expect(seen).toEqual({ compactions: 1, failures: [], badLines: [] });
    expect([...phases]).toEqual(['new file being written', 'renamed']);
    expect(existsSync(`${path}.tmp`)).toBe(false);
    // The new file: the snapshot plus what came after it, far fewer lines than the 40,000 before.
    expect(fileLines(path).length).toBeLessThanOrEqual(20_000 + during + 1);
    const again = openLog(path);
    expect(again.seen.badLines).toEqual([]);
    expect(new Map(again.state)).toEqual(new Map(state));
    await again.log.close();
  });

  it('close during a compaction waits for it, with the appends made meanwhile', async () => {
    const { path, log, state, set } = await bigLog();
    log.compact();
    await new Promise((resolve) => setImmediate(resolve));
    void set('meanwhile', 1, false);
    const durable = set('durable', 2, true);
    await log.close();
    await durable;
    expect(log.compacting).toBe(false);
    expect(fileLines(path).length).toBe(20_002);
    const again = openLog(path);
    expect(new Map(again.state)).toEqual(new Map(state));
    await again.log.close();
  });
});
