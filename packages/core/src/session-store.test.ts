import { MemorySessionStore } from './session-store.js';
import { runSessionStoreConformance } from './testing/index.js';

runSessionStoreConformance('memory', (now) => new MemorySessionStore(now));
