import { describe } from 'vitest';
import { basicStoreTests } from './store/basic.js';
import { harnessFactory, type MakeStores, type StoreConformanceOptions } from './store/setup.js';
import { sharedStoreTests } from './store/shared.js';
import { workStoreTests } from './store/work.js';

export type { MakeStores, StoreConformanceOptions } from './store/setup.js';

/**
 * The behaviour every backend of the stores must have: call it from the backend's test file,
 * `runStoreConformance('memory', (now) => createMemoryStores({ now }))`. `now` is a clock the
 * suite moves to test expiry without waiting; a backend that keeps time itself says
 * `realClock: true` and the suite waits for real (1 s TTLs, tests run concurrently). Each
 * test opens fresh stores (give each a unique prefix or directory) and closes them after.
 */
export function runStoreConformance(name: string, makeStores: MakeStores, options: StoreConformanceOptions = {}): void {
  const open = harnessFactory(makeStores, options);
  (options.realClock ? describe.concurrent : describe)(`store conformance: ${name}`, () => {
    basicStoreTests(open);
    workStoreTests(open);
    sharedStoreTests(open);
  });
}
