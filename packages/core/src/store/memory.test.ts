import { runStoreConformance } from '../testing/index.js';
import { createMemoryStores } from './memory.js';

runStoreConformance('memory', (now) => createMemoryStores({ now }));
