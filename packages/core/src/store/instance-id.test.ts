import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiskStores } from './disk/index.js';
import { claimInstanceId } from './instance-id.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'wecom-bot-instance-'));

describe('the instance id kept in the state directory', () => {
  it('is the same after a restart of the disk store, and differs between directories', async () => {
    const [dir, elsewhere] = [tempDir(), tempDir()];
    const first = await createDiskStores({ dir });
    const id = first.instanceId;
    await first.close();
    const again = await createDiskStores({ dir });
    const other = await createDiskStores({ dir: elsewhere });
    expect(again.instanceId).toBe(id);
    expect(readFileSync(join(dir, 'instance-id'), 'utf8').trim()).toBe(id);
    expect(other.instanceId).not.toBe(id);
    await Promise.all([again.close(), other.close()]);
  });

  it('with Redis: one directory is one instance; a second process on it gets an id of its own, and a warning', () => {
    const dir = tempDir();
    const first = claimInstanceId(dir);
    const second = claimInstanceId(dir);
    expect(first.warning).toBeUndefined();
    expect(second.id).not.toBe(first.id);
    expect(second.warning).toMatch(/already open|in use/);
    first.release();
    second.release();
    const restarted = claimInstanceId(dir);
    expect(restarted.id).toBe(first.id);
    restarted.release();
  });
});
