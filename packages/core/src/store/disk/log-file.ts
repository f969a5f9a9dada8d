import { close, constants, fstatSync, fsync, ftruncateSync, open, openSync, write, writeSync } from 'node:fs';
import { promisify } from 'node:util';

const openAsync = promisify(open);
const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);
const writeAsync = promisify(write);

/** What a compaction's snapshot is written in: big enough for few calls, small enough not to hold the loop. */
const CHUNK_CHARS = 256 * 1024;

/**
 * One open file of a JSON-lines log. An append is written synchronously (once it returns, the
 * line is in the OS's cache and survives a kill of the process); fsync, and the bulk writes of
 * a compaction's snapshot, run on libuv's threads so they never hold the event loop.
 */
export class LogFile {
  private lastSync: Promise<void> = Promise.resolve();

  private constructor(
    private readonly fd: number,
    /** Its length: a failed write is cut back to it, so no half line stays behind. */
    private bytes: number,
  ) {}

  /** Opens (or creates) `path` for appending; synchronous, as the store opens. */
  static openForAppend(path: string): LogFile {
    const fd = openSync(path, 'a');
    return new LogFile(fd, fstatSync(fd).size);
  }

  /** Creates `path` empty (a leftover is truncated), for appending. */
  static async create(path: string): Promise<LogFile> {
    const { O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } = constants;
    // O_APPEND: after a write is cut back, the next one lands at the new end, not past a hole.
    return new LogFile(await openAsync(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o666), 0);
  }

  /** Writes all of `data` now; on failure (disk full, say) cuts the file back and throws. */
  writeNow(data: Buffer): void {
    try {
      for (let offset = 0; offset < data.length; ) offset += writeSync(this.fd, data, offset);
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // Then the torn line is skipped on replay, and this write was refused anyway.
      }
      throw error;
    }
    this.bytes += data.length;
  }

  /** Writes `lines` off the main thread, a chunk at a time; nothing else may write meanwhile. Returns their count. */
  async writeLines(lines: Iterable<string>): Promise<number> {
    let count = 0;
    let chunk: string[] = [];
    let chars = 0;
    for (const line of lines) {
      chunk.push(line);
      count += 1;
      chars += line.length + 1;
      if (chars < CHUNK_CHARS) continue;
      await this.writeLater(chunk);
      chunk = [];
      chars = 0;
    }
    if (chunk.length > 0) await this.writeLater(chunk);
    return count;
  }

  /** fsync on libuv's threads. */
  sync(): Promise<void> {
    const done = fsyncAsync(this.fd);
    this.lastSync = done.catch(() => {});
    return done;
  }

  /** Closes once the fsync under way (if any) is over, so it never runs on a reused descriptor. */
  async close(): Promise<void> {
    await this.lastSync;
    await closeAsync(this.fd);
  }

  private async writeLater(lines: string[]): Promise<void> {
    const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    for (let offset = 0; offset < data.length; ) offset += (await writeAsync(this.fd, data, offset)).bytesWritten;
    this.bytes += data.length;
  }
}
