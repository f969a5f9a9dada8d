import { readFile, rename } from 'node:fs/promises';
import type { SettingsStore } from '@wecom-bot/core';

/** One setting per admin ("admin:wechatcom_app:zhangsan" → true): two adding at once never race. */
const PREFIX = 'admin:';

/**
 * The admins who passed #auth, kept in the settings store (disk or Redis): a restart keeps
 * them and instances sharing Redis share them. An admin list left by an older version in
 * `legacyFile` ({"admins": [...]}) is moved in once, and the file renamed to `.migrated`.
 */
export class AdminStore {
  private migrated: Promise<void> | undefined;

  constructor(
    private readonly settings: SettingsStore,
    private readonly legacyFile?: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  async has(id: string): Promise<boolean> {
    await this.migrate();
    return (await this.settings.get(PREFIX + id)) === true;
  }

  async add(id: string): Promise<void> {
    await this.migrate();
    await this.settings.set(PREFIX + id, true);
  }

  /** Every admin who passed #auth, by "channel:sender". */
  async list(): Promise<string[]> {
    await this.migrate();
    const all = await this.settings.all();
    return Object.keys(all).filter((key) => key.startsWith(PREFIX) && all[key] === true).map((key) => key.slice(PREFIX.length));
  }

  /** Once per process; concurrent first callers share it. A file that cannot be read is left for the next start. */
  private migrate(): Promise<void> {
    this.migrated ??= this.moveLegacyFile().catch((error: unknown) =>
      this.warn(`could not move the admin list from ${this.legacyFile} into the settings store (${error instanceof Error ? error.message : String(error)}); it is tried again at the next start`),
    );
    return this.migrated;
  }

  private async moveLegacyFile(): Promise<void> {
    if (!this.legacyFile) return;
    let text: string;
    try {
      text = await readFile(this.legacyFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = JSON.parse(text) as { admins?: unknown };
    if (!Array.isArray(parsed.admins)) throw new Error('it must hold {"admins": [ … ]}');
    for (const id of parsed.admins) await this.settings.set(PREFIX + String(id), true);
    // Renamed, not deleted: the old file stays as a backup, and is not moved in again.
    await rename(this.legacyFile, `${this.legacyFile}.migrated`);
  }
}
