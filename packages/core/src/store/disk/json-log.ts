import { closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JsonLogHooks {
  /** Each record of the file (and its text), in order, while it is opened. */
  onRecord(record: unknown, line: string): void;
  /** A line that is not JSON: torn by a crash mid-write, or damaged. It is skipped. */
  onBadLine(lineNumber: number): void;
  /** The lines that describe the state now, written as the new file when compacting. */
  snapshot(): Iterable<string>;
  /** Compaction failed (disk full?): the old file is still whole and still appended to. */
  onCompactFailed(error: unknown): void;
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * An append-only file of JSON lines. Appends are written at once (a crash of the process
 * cannot lose them: they are in the OS's cache); a durable append also waits for fsync, and
 * appends that arrive while one fsync runs share the next (group commit: one fsync per
 * batch, however many writers). Compaction writes the snapshot to a new file, fsyncs it and
 * renames it over the old one, so a crash at any moment leaves one whole file.
 */
export class JsonLog {
  private fd: number;
  /** Lines in the file now (compaction is due when they far outnumber the live entries). */
  lines = 0;
  /** The file's length: a failed append is cut back to it, so no half line stays behind. */
  private bytes = 0;
  private written = 0;
  private synced = 0;
  private syncing = false;
  private compactWanted = false;
  private closed = false;
  private readonly waiters: Waiter[] = [];

  constructor(
    private readonly path: string,
    private readonly hooks: JsonLogHooks,
  ) {
    // A compaction cut short by a crash: the old file is still whole, so the new one goes.
    if (existsSync(`${path}.tmp`)) unlinkSync(`${path}.tmp`);
    if (existsSync(path)) this.replay();
    this.fd = openSync(path, 'a');
    this.bytes = fstatSync(this.fd).size;
  }

  /** Appends one line; durable: resolves once it is on disk (fsync). */
  append(line: string, durable: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path} is closed`));
    try {
      this.bytes += writeAll(this.fd, `${line}\n`);
    } catch (error) {
      // Disk full, say: the next append must not be joined onto a partial line.
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // Then the torn line is skipped on replay, and this append was refused anyway.
      }
      throw error;
    }
    this.lines += 1;
    this.written += 1;
    return durable ? this.sync() : Promise.resolve();
  }

  /** Rewrites the file from the snapshot, now or as soon as the running fsync ends. */
  compact(): void {
    if (this.closed) return;
    this.compactWanted = true;
    if (!this.syncing) this.compactNow();
  }

  /** Waits for everything written so far to be on disk, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.sync();
    } finally {
      closeSync(this.fd);
    }
  }

  private sync(): Promise<void> {
    const seq = this.written;
    if (seq <= this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.syncing || this.waiters.length === 0) return;
    this.syncing = true;
    const target = this.written;
    fsync(this.fd, (error) => {
      this.syncing = false;
      if (!error) {
        this.synced = Math.max(this.synced, target);
        this.settle(target);
        // A failed fsync may have dropped the written pages: a compaction writes the whole
        // state again; only if that fails too do the writers hear of it.
      } else if (this.closed || !this.compactNow()) {
        this.settle(target, error);
      }
      if (this.compactWanted && !this.closed) this.compactNow();
      this.kick();
    });
  }

  private settle(upTo: number, error?: Error): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (!waiter || waiter.seq > upTo) continue;
      this.waiters.splice(i, 1);
      if (error) waiter.reject(new Error(`could not fsync ${this.path}: ${error.message}`));
      else waiter.resolve();
    }
  }

  /** False when it failed (reported through the hook); the old file is then still in use. */
  private compactNow(): boolean {
    this.compactWanted = false;
    const tmp = `${this.path}.tmp`;
    let count = 0;
    let bytes = 0;
    try {
      const fd = openSync(tmp, 'w');
      try {
        let batch: string[] = [];
        for (const line of this.hooks.snapshot()) {
          batch.push(line);
          count += 1;
          if (batch.length < 512) continue;
          bytes += writeAll(fd, `${batch.join('\n')}\n`);
          batch = [];
        }
        if (batch.length > 0) bytes += writeAll(fd, `${batch.join('\n')}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
      fsyncDir(dirname(this.path));
    } catch (error) {
      try {
        if (existsSync(tmp)) unlinkSync(tmp);
      } catch {
        // Removed on the next open.
      }
      this.hooks.onCompactFailed(error);
      return false;
    }
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.lines = count;
    this.bytes = bytes;
    // The new file holds the whole state and is on disk: every pending durable append is too.
    this.synced = this.written;
    this.settle(this.written);
    return true;
  }

  private replay(): void {
    let data = readFileSync(this.path);
    const end = data.lastIndexOf(0x0a) + 1;
    if (end < data.length) {
      // A torn last line (killed mid-write): cut it, or the next append would join onto it.
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, end);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.hooks.onBadLine(data.subarray(0, end).toString('utf8').split('\n').length);
      data = data.subarray(0, end);
    }
    const lines = data.toString('utf8').split('\n');
    lines.pop();
    lines.forEach((line, i) => {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        this.hooks.onBadLine(i + 1);
        return;
      }
      this.hooks.onRecord(record, line);
    });
    this.lines = lines.length;
  }
}

/** Writes all of `text`; returns its length in bytes. */
function writeAll(fd: number, text: string): number {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
  return buffer.length;
}

/** Makes a rename durable; some platforms cannot open a directory, and need not. */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here (Windows): the rename is still atomic, only its durability is the OS's.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
