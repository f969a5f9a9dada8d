import { existsSync, renameSync, unlink, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import type { Durability } from '../kv.js';
import { LogFile } from './log-file.js';
import { replayLog, type ReplayHooks } from './replay.js';
import { syncDirectory } from './sync-directory.js';

const unlinkAsync = promisify(unlink);

/** How long a 'soon' append may wait for an fsync of its own, when no durable one covers it first. */
export const SOON_MS = 1000;

export interface JsonLogHooks extends ReplayHooks {
  /**
   * The lines that describe the state now, written as the new file when compacting. Taken at
   * the moment of the call: they are read later, a chunk at a time, while appends go on.
   */
  snapshot(): Iterable<string>;
  /** A compaction is done: the file may be due again (appends made during it went into it). */
  onCompacted(): void;
  /** Compaction failed (disk full?): the old file is still whole and still appended to. */
  onCompactFailed(error: unknown): void;
}

/**
 * The logs open in this process. A process that exits on a crash (process.exit) never reaches
 * the turn's end where appends are written: on exit, each open log writes them then.
 */
const openLogs = new Set<JsonLog>();
let writesOnExit = false;

function writeOnExit(log: JsonLog): void {
  openLogs.add(log);
  if (writesOnExit) return;
  writesOnExit = true;
  process.on('exit', () => {
    for (const open of openLogs) open.writePending();
  });
}

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * An append-only file of JSON lines. The appends of one turn of the event loop are written
 * together at its end, in one write call (under load, one write for many callbacks, where a
 * write each cost a system call each), and each resolves once its line is written (then a
 * crash of the process cannot lose it: it is in the OS's cache). A durable append also waits
 * for fsync, and those that arrive while one fsync runs share the next (group commit: one
 * fsync per batch, however many writers).
 *
 * Compaction runs beside the appends, its bulk writes and fsyncs off the main thread: the
 * snapshot is taken at one instant and written to `<path>.tmp` a chunk at a time, then fsynced,
 * while appends go on to the old file and are kept for the new one. Then, briefly, no fsync of
 * the old file acknowledges anything: the kept appends are added to the new file, it is fsynced
 * again (little to write by then) and renamed over the old one in one synchronous step with the
 * last few appends, and the durable appends of that stretch are acknowledged once the directory
 * is fsynced too. So a kill, or a power cut, at any moment leaves a whole file holding every
 * acknowledged append: the old one until the rename is on disk, the new one after.
 */
export class JsonLog {
  private file: LogFile;
  /** While a compaction runs: the appends made since its snapshot, not yet in the new file. */
  private tail: string[] | undefined;
  /** The end of a compaction: no fsync starts (it would acknowledge appends on the old file only). */
  private holding = false;
  private compaction: Promise<void> | undefined;
  /** Lines in the file, and waiting to be written (compaction is due when they far outnumber the live entries). */
  lines = 0;
  private written = 0;
  private synced = 0;
  /**
   * Appends up to here were in an fsync that failed: the pages may be gone, and a second fsync
   * can report success anyway. They wait for a compaction to write the whole state again.
   */
  private doubtful = 0;
  private doubtError: Error | undefined;
  private syncing = false;
  /** No more appends (close was called); compactions may still finish, and one more may run. */
  private closed = false;
  /** The file is closed: nothing starts any more. */
  private ended = false;
  private readonly waiters: Waiter[] = [];
  /** Lines appended this turn of the event loop, written together by flush(). */
  private pending: string[] = [];
  private pendingWrite: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;
  /** The fsync that 'soon' appends wait for, unless one for a durable append covers them first. */
  private soonSync: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly hooks: JsonLogHooks,
  ) {
    // A compaction cut short by a crash: the old file is still whole, so the new one goes.
    if (existsSync(this.tmpPath)) unlinkSync(this.tmpPath);
    if (existsSync(path)) this.lines = replayLog(path, hooks);
    this.file = LogFile.openForAppend(path);
    writeOnExit(this);
  }

  /**
   * Appends one line: written with the other appends of this turn of the event loop, in one
   * write at its end, and resolved then; a 'synced' one once fsynced too; a 'soon' one is
   * fsynced within SOON_MS, not waited for (any fsync of the file covers every line before it).
   */
  append(line: string, durability: Durability): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.path} is closed`));
    this.pending.push(line);
    this.lines += 1;
    if (!this.pendingWrite) {
      let settle!: { resolve: () => void; reject: (error: Error) => void };
      const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
      this.pendingWrite = { promise, ...settle };
      setImmediate(() => this.flush());
    }
    if (durability === 'synced') return this.pendingWrite.promise.then(() => this.sync());
    if (durability === 'soon') this.soonSync ??= setTimeout(() => this.syncSoon(), SOON_MS).unref();
    return this.pendingWrite.promise;
  }

  private syncSoon(): void {
    this.soonSync = undefined;
    // A failure is the durable appends' to report (and a compaction's to mend); nobody waits here.
    if (!this.closed) this.sync().catch(() => {});
  }

  /** Writes now what waits for the turn's end (the process is exiting). */
  writePending(): void {
    if (!this.ended) this.flush();
  }

  /** Writes the lines not yet written, in one call; the durable appends among them go on to fsync (or fail). */
  private flush(): void {
    const batch = this.pendingWrite;
    const lines = this.pending;
    this.pendingWrite = undefined;
    if (lines.length === 0) return;
    this.pending = [];
    try {
      this.file.writeNow(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
    } catch (error) {
      this.lines -= lines.length;
      batch?.reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.tail) for (const line of lines) this.tail.push(line);
    this.written += lines.length;
    batch?.resolve();
  }

  /** A compaction runs: the file is replaced soon, asking for another is pointless. */
  get compacting(): boolean {
    return this.compaction !== undefined;
  }

  /** Starts rewriting the file from the snapshot, unless a compaction runs already. */
  compact(): void {
    if (this.ended || this.compaction) return;
    this.compaction = this.rewrite();
  }

  /** Waits for compactions under way and for everything written to be on disk, then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.soonSync);
    this.flush();
    try {
      do {
        while (this.compaction) await this.compaction;
        await this.sync();
        // A failed fsync is answered with a compaction: wait for that one too.
      } while (this.compaction);
    } finally {
      // Even when an fsync failed: its compaction holds files open until it ends.
      while (this.compaction) await this.compaction;
      this.ended = true;
      openLogs.delete(this);
      await this.file.close();
    }
  }

  private get tmpPath(): string {
    return `${this.path}.tmp`;
  }

  private sync(): Promise<void> {
    const seq = this.written;
    if (seq <= this.synced && (this.doubtful === 0 || seq > this.doubtful)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      this.kick();
    });
  }

  /** Starts an fsync if some waiter needs one and none runs (nor is held back by a compaction's end). */
  private kick(): void {
    if (this.syncing || this.holding) return;
    const floor = Math.max(this.synced, this.doubtful);
    if (!this.waiters.some((w) => w.seq > floor)) return;
    this.syncing = true;
    const target = this.written;
    this.file.sync().then(
      () => {
        this.syncing = false;
        this.synced = Math.max(this.synced, target);
        this.settle(target);
        this.kick();
      },
      (error: unknown) => {
        this.syncing = false;
        // A failed fsync may have dropped the written pages: a compaction writes the whole
        // state again; only if that fails too do the writers hear of it.
        this.doubtful = Math.max(this.doubtful, target);
        this.doubtError = error instanceof Error ? error : new Error(String(error));
        this.compact();
        if (!this.compaction) this.failDoubtful();
        this.kick();
      },
    );
  }

  /** Settles the waiters up to `upTo`; those in a failed fsync only by an error or a rewrite of the file. */
  private settle(upTo: number, error?: Error, rewritten = false): void {
    const floor = error || rewritten ? 0 : this.doubtful;
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i];
      if (!waiter || waiter.seq > upTo || waiter.seq <= floor) continue;
      this.waiters.splice(i, 1);
      if (error) waiter.reject(new Error(`could not fsync ${this.path}: ${error.message}`));
      else waiter.resolve();
    }
  }

  private async rewrite(): Promise<void> {
    const covered = await this.writeCompacted();
    this.compaction = undefined;
    if (covered !== undefined) {
      // The new file holds the whole state up to `covered` and is on disk.
      this.synced = Math.max(this.synced, covered);
      this.settle(covered, undefined, true);
      if (this.doubtful <= covered) this.doubtful = 0;
    } else {
      this.failDoubtful();
    }
    // Decided before any waiter's code runs, so a close() that follows waits for the next one.
    if (this.doubtful > 0) this.compact();
    else if (covered !== undefined) this.hooks.onCompacted();
    this.kick();
  }

  /** The writes of a failed fsync that no compaction could write again: their writers hear of it. */
  private failDoubtful(): void {
    if (this.doubtful === 0) return;
    this.settle(this.doubtful, this.doubtError);
    this.doubtful = 0;
  }

  /**
   * Writes the new file and puts it in place of the old one. Returns how far it holds every
   * append on disk, or undefined if it failed (the old file stays, and is appended to).
   */
  private async writeCompacted(): Promise<number | undefined> {
    let from = 0;
    let next: LogFile | undefined;
    let count = 0;
    let covered = 0;
    try {
      // The state at this instant (what waits to be written is in it: written now, not kept
      // for the new file); the appends from now on are kept for the new file.
      this.flush();
      const snapshot = this.hooks.snapshot();
      from = this.written;
      this.tail = [];
      next = await LogFile.create(this.tmpPath);
      count = await next.writeLines(snapshot);
      await this.catchUp(next);
      // The bulk on disk while fsyncs of the old file still acknowledge appends.
      await next.sync();
      await this.catchUp(next);
      // From here what an fsync would acknowledge must first be on disk in the new file: an
      // fsync under way covers only appends written before now, which go into it here.
      this.holding = true;
      this.flushTail(next);
      covered = this.written;
      await next.sync();
      // One synchronous step: before it the old file holds every append, after it the new one.
      this.flushTail(next);
      renameSync(this.tmpPath, this.path);
    } catch (error) {
      this.tail = undefined;
      this.holding = false;
      await next?.close().catch(() => {});
      await unlinkAsync(this.tmpPath).catch(() => {}); // Else removed on the next open.
      this.hooks.onCompactFailed(error);
      return undefined;
    }
    const old = this.file;
    this.file = next;
    this.tail = undefined;
    this.lines = count + (this.written - from) + this.pending.length;
    // Until the rename is on disk a power cut may bring the old file back: the appends since
    // `covered` are acknowledged only after this, by an fsync of the new file.
    await syncDirectory(dirname(this.path));
    this.holding = false;
    await old.close().catch(() => {});
    return covered;
  }

  /** Writes the kept appends to the new file, off the main thread while they are many. */
  private async catchUp(next: LogFile): Promise<void> {
    while (this.tail && this.tail.length > 1000) {
      const lines = this.tail;
      this.tail = [];
      await next.writeLines(lines);
    }
  }

  /** Writes the kept appends to the new file now. */
  private flushTail(next: LogFile): void {
    if (!this.tail || this.tail.length === 0) return;
    next.writeNow(Buffer.from(`${this.tail.join('\n')}\n`, 'utf8'));
    this.tail = [];
  }
}
