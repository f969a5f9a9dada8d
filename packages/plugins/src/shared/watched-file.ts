import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/**
 * A small file read again only when its mtime (or the configured path) changes, so an admin
 * edits banwords or keywords without a restart. A missing file reads as undefined.
 */
export class WatchedFile<T> {
  private cached: { path: string; mtimeMs: number; value: T } | undefined;

  constructor(private readonly parse: (text: string, path: string) => T) {}

  async read(path: string): Promise<T | undefined> {
    // Every answered message asks (banwords twice): a synchronous stat of a local file costs a
    // few microseconds, where fs.promises.stat took a thread-pool round trip (~30 µs) each time.
    const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
    if (mtimeMs === undefined) {
      this.cached = undefined;
      return undefined;
    }
    if (this.cached?.path === path && this.cached.mtimeMs === mtimeMs) return this.cached.value;
    const value = this.parse(await readFile(path, 'utf8'), path);
    this.cached = { path, mtimeMs, value };
    return value;
  }
}
