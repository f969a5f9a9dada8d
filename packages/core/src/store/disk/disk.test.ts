import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiskStores, type DiskStoresOptions } from './index.js';
import { LogFile } from './log-file.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
afterEach(() => vi.restoreAllMocks());

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-disk-'));
  dirs.push(dir);
  return dir;
}

function lines(dir: string, store: string): string[] {
  return readFileSync(join(dir, `${store}.jsonl`), 'utf8').split('\n').filter(Boolean);
}

describe('disk stores across a restart', () => {
  it('reopen gives back every store but the leases', async () => {
    const dir = tempDir();
    let clock = 1_700_000_000_000;
    const options: DiskStoresOptions = { dir, now: () => clock };
    const first = await createDiskStores(options);
    await first.sessions.set('openai:history:u1', { turns: [{ user: '你好', assistant: 'hi' }] }, 3600);
    await first.seen.remember('id:1', 600_000);
    await first.seen.setAnswer('id:2', '<xml/>', 600_000);
    await first.pending.add('u1', 'answer', { ttlMs: 600_000, max: 5 });
    await first.settings.set('model', 'gpt-4o');
    await first.streams.set('stream-1', { sent: 'abc' }, 600_000);
    await first.outbox.add({ id: 'm1', kind: 'message', payload: { text: 'q' }, owner: 'a' }, { claimMs: 60_000 });
    await first.outbox.add({ id: 'm2', kind: 'message', payload: {}, owner: 'a' }, { claimMs: 60_000 });
    await first.outbox.done('m2');
    await first.pacing.take('member', 2, 60_000);
    await first.leases.acquire('ws', 'a', 600_000);
    await first.close();

    clock += 1_000;
    const again = await createDiskStores(options);
    expect(await again.sessions.get('openai:history:u1')).toEqual({ turns: [{ user: '你好', assistant: 'hi' }] });
    expect(await again.seen.remember('id:1', 600_000)).toEqual({ first: false, answer: undefined });
    expect(await again.seen.remember('id:2', 600_000)).toEqual({ first: false, answer: '<xml/>' });
    expect(await again.pending.take('u1')).toEqual(['answer']);
    expect(await again.settings.all()).toEqual({ model: 'gpt-4o' });
    expect(await again.streams.get('stream-1')).toEqual({ sent: 'abc' });
    expect((await again.outbox.unfinished({ olderThanMs: 0 })).map((e) => e.id)).toEqual(['m1']);
    expect(await again.pacing.take('member', 2, 60_000)).toEqual({ allowed: true, remaining: 0 });
    // Leases are in memory: the directory lock already means one process.
    expect(await again.leases.holder('ws')).toBeUndefined();
    await again.close();
  });

  it('ignores on replay what expired while stopped, and compaction drops it from the file', async () => {
    const dir = tempDir();
    let clock = 1_700_000_000_000;
    const first = await createDiskStores({ dir, now: () => clock });
    await first.seen.remember('old', 1_000);
    await first.seen.remember('kept', 600_000);
    await first.close();
    clock += 5_000;
    const again = await createDiskStores({ dir, now: () => clock, compactMinLines: 3 });
    expect((await again.seen.remember('old', 600_000)).first).toBe(true);
    expect((await again.seen.remember('kept', 600_000)).first).toBe(false);
    for (let i = 0; i < 4; i++) await again.settings.set('x', i);
    await again.close();
    const settings = lines(dir, 'settings');
    expect(settings.length).toBeLessThan(4);
    expect(JSON.parse(settings.at(-1) ?? '')).toMatchObject({ k: 'x', v: 3 });
  });

  it('skips a torn last line and a damaged line, and appends cleanly after them', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const first = await createDiskStores({ dir });
    await first.settings.set('a', 1);
    await first.settings.set('b', 2);
    await first.close();
    const file = join(dir, 'settings.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('{"k":"a"', '{"k":"a",garbage'));
    // A line in another layout (edited by hand) is read too; the torn one is not.
    appendFileSync(file, '{ "v": [1, {"x": "}"}], "k": "d" }\n{"k":"c","e":0,"v":{"torn');
    const again = await createDiskStores({ dir, warn: (m) => warnings.push(m) });
    expect(await again.settings.all()).toEqual({ b: 2, d: [1, { x: '}' }] });
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/settings\.jsonl: line \d is not a whole record/);
    await again.settings.set('c', 3);
    await again.close();
    const third = await createDiskStores({ dir });
    expect(await third.settings.all()).toEqual({ b: 2, c: 3, d: [1, { x: '}' }] });
    await third.close();
  });

  it('compacts a file whose lines far outnumber its live entries, keeping the state', async () => {
    const dir = tempDir();
    const stores = await createDiskStores({ dir, compactMinLines: 50 });
    const writes = [];
    for (let i = 0; i < 1_000; i++) writes.push(stores.settings.set(`k${i % 10}`, { i, text: '重复'.repeat(5) }));
    await Promise.all(writes);
    // Compaction runs beside the writes (the burst lands in its file too, so it runs again): close waits for it.
    await stores.close();
    expect(lines(dir, 'settings').length).toBeLessThanOrEqual(50);
    // A compaction cut short by a kill leaves a .tmp beside the whole file: it is dropped.
    writeFileSync(join(dir, 'settings.jsonl.tmp'), '{"k":"half');
    const again = await createDiskStores({ dir });
    expect(existsSync(join(dir, 'settings.jsonl.tmp'))).toBe(false);
    expect(await again.settings.get('k9')).toEqual({ i: 999, text: '重复'.repeat(5) });
    expect(Object.keys(await again.settings.all())).toHaveLength(10);
    await again.close();
  });

  it('waits for every durable write however many run at once, and close flushes the rest', async () => {
    const dir = tempDir();
    const stores = await createDiskStores({ dir });
    await Promise.all(Array.from({ length: 200 }, (_, i) => stores.seen.remember(`m${i}`, 600_000)));
    void stores.sessions.set('lazy', 'not awaited');
    await stores.close();
    expect(lines(dir, 'seen')).toHaveLength(200);
    expect(lines(dir, 'sessions')).toHaveLength(1);
    await expect(stores.settings.set('after', 'close')).rejects.toThrow(/closed/);
  });
});

describe('the disk outbox and fsync', () => {
  it('an added record waits for its fsync (the ack waits for it); its update and removal do not, and are fsynced soon after', async () => {
    const dir = tempDir();
    const stores = await createDiskStores({ dir });
    const fsyncs = vi.spyOn(LogFile.prototype, 'sync');
    await stores.outbox.add({ id: 'm1', kind: 'message', payload: { text: 'hi' }, owner: 'me' }, { claimMs: 30_000, ttlMs: 60_000 });
    expect(fsyncs).toHaveBeenCalledTimes(1);
    await stores.outbox.update('m1', 'me', { text: 'hi', reply: 'hello' });
    await stores.outbox.done('m1');
    expect(fsyncs).toHaveBeenCalledTimes(1);
    expect(lines(dir, 'outbox')).toHaveLength(3);
    await vi.waitFor(() => expect(fsyncs).toHaveBeenCalledTimes(2), { timeout: 3000, interval: 50 });
    await stores.close();
  });
});
