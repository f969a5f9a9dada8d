import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiskStores } from './index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-lock-'));
  dirs.push(dir);
  return dir;
}

describe('data_dir belongs to one process', () => {
  it('refuses a second open in the same process until the first is closed', async () => {
    const dir = tempDir();
    const first = await createDiskStores({ dir });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    await expect(createDiskStores({ dir })).rejects.toThrow(/already open in this process/);
    await first.close();
    expect(existsSync(join(dir, 'LOCK'))).toBe(false);
    const second = await createDiskStores({ dir });
    await second.close();
  });

  it('names the live process that holds it, and says what to do', async () => {
    const dir = tempDir();
    // Our parent (the test runner's) is alive and is not us.
    writeFileSync(join(dir, 'LOCK'), `${process.ppid}\n`);
    await expect(createDiskStores({ dir })).rejects.toThrow(new RegExp(`in use by process ${process.ppid} .*Stop that process`));
  });

  it('takes over a lock left by a process that is gone, or an empty one', async () => {
    const dir = tempDir();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'LOCK'), `${gone.stdout}\n`);
    const stores = await createDiskStores({ dir });
    expect(readFileSync(join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    await stores.close();
    writeFileSync(join(dir, 'LOCK'), '');
    await (await createDiskStores({ dir })).close();
  });
});
