import { join, resolve } from 'node:path';
import type { Stores } from '../contracts.js';
import { KvLeaseStore, KvSeenStore, KvSessionStore, KvSettingsStore, KvStreamStateStore } from '../kv-stores.js';
import { KvOutboxStore, KvPacingStore, KvPendingStore } from '../kv-work.js';
import { MemoryKv } from '../kv.js';
import { readOrCreateInstanceId } from '../instance-id.js';
import { DiskKv } from './disk-kv.js';
import { lockDirectory } from './lock.js';

export interface DiskStoresOptions {
  /** The directory (`data_dir`); created if missing, held by this process alone while open. */
  dir: string;
  now?: () => number;
  /** Lines a file may reach before compaction is considered (tests lower it). */
  compactMinLines?: number;
  /** Skipped torn lines and failed compactions are reported here. */
  warn?: (message: string) => void;
}

/**
 * Every store on disk under one directory, a JSON-lines file each. What must survive a power
 * cut waits for fsync (the outbox's new records, pending answers, settings; an outbox record's
 * update and removal are fsynced soon, not waited for); seen ids, history, stream state
 * and pacing are written at once but not fsynced: they survive a crash of the process, and a
 * power cut loses at most the last seconds of them. A message is in the outbox, fsynced,
 * before its id is marked seen and the callback acked: the ack waits for one fsync, not two
 * in a row, and a retry after a power cut finds the record while its answer is under way.
 * Leases stay in memory: the directory lock already means one process, and a restart need
 * not wait one out.
 */
export async function createDiskStores(options: DiskStoresOptions): Promise<Stores> {
  const dir = resolve(options.dir);
  const release = lockDirectory(dir);
  const opened: DiskKv[] = [];
  const open = (name: string) => {
    const kv = new DiskKv(join(dir, `${name}.jsonl`), options);
    opened.push(kv);
    return kv;
  };
  try {
    return {
      description: `disk ${dir}`,
      // Under the directory's lock: no other process can be this instance.
      instanceId: readOrCreateInstanceId(dir),
      sessions: new KvSessionStore(open('sessions'), 'written'),
      seen: new KvSeenStore(open('seen'), 'written'),
      pending: new KvPendingStore(open('pending'), 'synced'),
      settings: new KvSettingsStore(open('settings'), 'synced'),
      streams: new KvStreamStateStore(open('streams'), 'written'),
      outbox: new KvOutboxStore(open('outbox'), 'synced'),
      pacing: new KvPacingStore(open('pacing'), 'written'),
      leases: new KvLeaseStore(new MemoryKv(options.now)),
      close: async () => {
        try {
          await Promise.all(opened.map((kv) => kv.close()));
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((kv) => kv.close()));
    release();
    throw error;
  }
}
