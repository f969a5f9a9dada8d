import type { Stores } from './contracts.js';
import { KvLeaseStore, KvSeenStore, KvSessionStore, KvSettingsStore, KvStreamStateStore } from './kv-stores.js';
import { KvOutboxStore, KvPacingStore, KvPendingStore } from './kv-work.js';
import { MemoryKv } from './kv.js';

export interface MemoryStoresOptions {
  /** The clock every TTL is measured on (tests move it). */
  now?: () => number;
}

/** Every store in this process's memory: for tests and `store: "memory"`; gone with the process. */
export function createMemoryStores(options: MemoryStoresOptions = {}): Stores {
  const kv = () => new MemoryKv(options.now);
  return {
    description: 'memory',
    volatile: true,
    sessions: new KvSessionStore(kv()),
    seen: new KvSeenStore(kv()),
    pending: new KvPendingStore(kv()),
    settings: new KvSettingsStore(kv()),
    streams: new KvStreamStateStore(kv()),
    outbox: new KvOutboxStore(kv()),
    pacing: new KvPacingStore(kv()),
    leases: new KvLeaseStore(kv()),
    close: async () => {},
  };
}
