import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lockDirectory } from './disk/lock.js';

const FILE = 'instance-id';
const VALID = /^[\w.:-]{1,200}$/;

/** A fresh id: the host (for logs) and enough randomness that two hosts never share one. */
export function newInstanceId(): string {
  return `${hostname()}:${randomBytes(6).toString('hex')}`;
}

/**
 * This instance's id, kept in `<dir>/instance-id` (made on first start): after a restart the
 * process is the same instance, so it resumes its own unfinished outbox work at once instead
 * of waiting out its old claims. The caller must hold `dir` alone (its lock).
 */
export function readOrCreateInstanceId(dir: string): string {
  const path = join(dir, FILE);
  try {
    const kept = readFileSync(path, 'utf8').trim();
    if (VALID.test(kept)) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = newInstanceId();
  mkdirSync(dir, { recursive: true });
  // A side file renamed into place: a crash mid-write never leaves half an id.
  writeFileSync(`${path}.tmp`, `${id}\n`);
  renameSync(`${path}.tmp`, path);
  return id;
}

export interface ClaimedInstanceId {
  id: string;
  /** Lets another process have the directory (and so the id) again. */
  release(): void;
  /** Set when the directory was in use and this process got an id of its own for this run. */
  warning?: string;
}

/**
 * For a backend without a directory lock of its own (Redis): takes `dir`'s lock and its kept
 * id. When another live process holds it (two instances given one data_dir), this one gets
 * a fresh id for this run only: two instances must never share an id, or each would resume
 * the other's work in progress.
 */
export function claimInstanceId(dir: string): ClaimedInstanceId {
  let release: () => void;
  try {
    release = lockDirectory(dir);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { id: newInstanceId(), release: () => {}, warning: `${why} This instance uses a new id until restarted with a data_dir of its own.` };
  }
  try {
    return { id: readOrCreateInstanceId(dir), release };
  } catch (error) {
    release();
    throw error;
  }
}
