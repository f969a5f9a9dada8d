import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Directories this process holds: a second open in the same process is refused too. */
const held = new Set<string>();

/**
 * Makes this process the only one using `dir`: a LOCK file with our pid. A lock left by a
 * process that is gone (killed, crashed) is taken over; one held by a live process is an
 * error that says which process and what to do. Returns the release function.
 */
export function lockDirectory(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const real = realpathSync(dir);
  if (held.has(real)) throw new Error(`data_dir ${dir} is already open in this process; open it once and share the stores`);
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      held.add(real);
      return () => release(real, path);
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const pid = lockedBy(dir);
    if (pid !== undefined) {
      throw new Error(
        `data_dir ${dir} is in use by process ${pid} (lock file ${path}). Stop that process, or give this one ` +
          `another data_dir; if process ${pid} is not a wecom-bot, delete ${path}.`,
      );
    }
    // Its process is gone (or the file is empty: killed between creating and writing it).
    try {
      unlinkSync(path);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
  }
  throw new Error(`could not take the lock file ${path}: another process keeps taking it at the same moment`);
}

/** The live process, other than this one, that holds `dir`'s lock: a wecom-bot using it now. */
export function lockedBy(dir: string): number | undefined {
  const pid = lockHolder(join(dir, 'LOCK'));
  return pid !== undefined && pid !== process.pid && isAlive(pid) ? pid : undefined;
}

function release(real: string, path: string): void {
  held.delete(real);
  try {
    if (lockHolder(path) === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function lockHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
