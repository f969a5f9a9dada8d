import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdminStore } from './admin-store.js';

describe('AdminStore', () => {
  it('keeps every admin when several pass #auth at the same moment, and leaves no side files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-admins-'));
    const store = new AdminStore(join(dir, 'admins.json'));
    const ids = Array.from({ length: 8 }, (_, i) => `wecom:user${i}`);
    await Promise.all(ids.map((id) => store.add(id)));
    expect((JSON.parse(readFileSync(join(dir, 'admins.json'), 'utf8')) as { admins: string[] }).admins.sort()).toEqual(ids.sort());
    expect(readdirSync(dir)).toEqual(['admins.json']);
    expect(await new AdminStore(join(dir, 'admins.json')).has('wecom:user7')).toBe(true);
  });
});
