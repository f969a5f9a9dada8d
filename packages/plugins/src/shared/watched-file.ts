import { readFile, stat } from 'node:fs/promises';

/**
 * A small file read again only when its mtime changes, so an admin edits banwords or
 * keywords without a restart. A missing file reads as undefined.
 */
export class WatchedFile<T> {
  private cached: { mtimeMs: number; value: T } | undefined;

  constructor(
    readonly path: string,
    private readonly parse: (text: string) => T,
  ) {}

  async read(): Promise<T | undefined> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.path)).mtimeMs;
    } catch {
      this.cached = undefined;
      return undefined;
    }
    if (this.cached?.mtimeMs === mtimeMs) return this.cached.value;
    const value = this.parse(await readFile(this.path, 'utf8'));
    this.cached = { mtimeMs, value };
    return value;
  }
}
