import { MemorySessionStore } from './session-store.js';
import { runSessionStoreConformance } from './testing/conformance.js';

runSessionStoreConformance('memory', (now) => new MemorySessionStore(now));
