import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The admins who passed #auth, kept on disk as {"admins": ["channel:sender", …]} so a restart keeps them. */
export class AdminStore {
  private admins: Set<string> | undefined;

  constructor(readonly path: string) {}

  async has(id: string): Promise<boolean> {
    return (await this.load()).has(id);
  }

  async add(id: string): Promise<void> {
    const admins = await this.load();
    admins.add(id);
    await mkdir(dirname(this.path), { recursive: true });
    // Written to a side file first, so a crash mid-write never leaves half a list.
    const temp = `${this.path}.tmp`;
    await writeFile(temp, `${JSON.stringify({ admins: [...admins] }, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.path);
  }

  private async load(): Promise<Set<string>> {
    if (this.admins) return this.admins;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return (this.admins = new Set());
    }
    const parsed = JSON.parse(text) as { admins?: unknown };
    if (!Array.isArray(parsed.admins)) throw new Error(`${this.path} must hold {"admins": [ … ]}`);
    return (this.admins = new Set(parsed.admins.map(String)));
  }
}
