import { KvSessionStore } from './kv-stores.js';
import { MemoryKv } from './kv.js';

export type { SessionStore } from './contracts.js';

/** The in-memory SessionStore (tests, and the `memory` backend); values are kept as JSON copies. */
export class MemorySessionStore extends KvSessionStore {
  constructor(now: () => number = Date.now) {
    super(new MemoryKv(now));
  }
}
