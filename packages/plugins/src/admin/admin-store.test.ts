import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStores } from '@wecom-bot/core';
import { createDiskStores } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { AdminStore } from './admin-store.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'wecom-bot-admins-'));

describe('AdminStore', () => {
  it('keeps every admin when several pass #auth at the same moment, across a restart of the disk store', async () => {
    const dir = tempDir();
    const stores = await createDiskStores({ dir });
    const ids = Array.from({ length: 8 }, (_, i) => `wecom:user${i}`);
    await Promise.all(ids.map((id) => new AdminStore(stores.settings).add(id)));
    await stores.close();
    const again = await createDiskStores({ dir });
    const store = new AdminStore(again.settings);
    expect((await store.list()).sort()).toEqual(ids.sort());
    expect(await store.has('wecom:user7')).toBe(true);
    expect(await store.has('wecom:someone')).toBe(false);
    await again.close();
  });

  it('moves an admins.json left by an older version into the settings store, once, keeping the file as .migrated', async () => {
    const dir = tempDir();
    const file = join(dir, 'admins.json');
    writeFileSync(file, JSON.stringify({ admins: ['wechatcom_app:zhangsan', 'wechatcom_app:lisi'] }));
    const { settings } = createMemoryStores();
    const store = new AdminStore(settings, file);
    expect(await Promise.all([store.has('wechatcom_app:zhangsan'), store.has('wechatcom_app:lisi'), store.has('wechatcom_app:wangwu')])).toEqual([true, true, false]);
    expect(readdirSync(dir)).toEqual(['admins.json.migrated']);
    // The next start finds no file: nothing to move, the admins are still there.
    expect(await new AdminStore(settings, file).list()).toEqual(['wechatcom_app:zhangsan', 'wechatcom_app:lisi']);
  });

  it('leaves a broken admins.json where it is and says so; #auth still works', async () => {
    const dir = tempDir();
    const file = join(dir, 'admins.json');
    writeFileSync(file, '{"admins": ');
    const warnings: string[] = [];
    const store = new AdminStore(createMemoryStores().settings, file, (message) => warnings.push(message));
    await store.add('wechatcom_app:zhangsan');
    expect(await store.has('wechatcom_app:zhangsan')).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('admins.json');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"admins": ');
  });
});
