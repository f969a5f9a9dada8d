import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStoreConformance } from '../../testing/conformance.js';
import { createDiskStores } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'wecom-bot-disk-conformance-'));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A small compaction threshold, so the suite also runs through compactions.
runStoreConformance('disk', (now) => createDiskStores({ dir: join(root, String(n++)), now, compactMinLines: 8 }));
