import { runStoreConformance } from '../testing/conformance.js';
import { createMemoryStores } from './memory.js';

runStoreConformance('memory', (now) => createMemoryStores({ now }));
