import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The admins who passed #auth, kept on disk as {"admins": ["channel:sender", …]} so a restart keeps them. */
export class AdminStore {
  private admins: Promise<Set<string>> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async has(id: string): Promise<boolean> {
    return (await this.load()).has(id);
  }

  async add(id: string): Promise<void> {
    const admins = await this.load();
    admins.add(id);
    // One write at a time: two users passing #auth together (two sessions) must not race on the side file.
    const write = this.writing.then(() => this.write(admins));
    this.writing = write.catch(() => undefined);
    await write;
  }

  private async write(admins: Set<string>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // Written to a side file first, so a crash mid-write never leaves half a list.
    const temp = `${this.path}.tmp`;
    await writeFile(temp, `${JSON.stringify({ admins: [...admins] }, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, this.path);
  }

  /** Read once; concurrent first callers share the one read, so nobody's addition is lost. */
  private load(): Promise<Set<string>> {
    if (!this.admins) {
      const reading = this.read();
      this.admins = reading;
      // A broken file is read again next time, so fixing it needs no restart.
      void reading.catch(() => {
        if (this.admins === reading) this.admins = undefined;
      });
    }
    return this.admins;
  }

  private async read(): Promise<Set<string>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return new Set();
    }
    const parsed = JSON.parse(text) as { admins?: unknown };
    if (!Array.isArray(parsed.admins)) throw new Error(`${this.path} must hold {"admins": [ … ]}`);
    return new Set(parsed.admins.map(String));
  }
}
