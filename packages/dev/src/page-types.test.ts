import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The page (web/) compiles with the DOM library and JSX, which the repository's tsconfig (Node
// code) does not have: it has its own tsconfig, checked here so `pnpm test` covers it too.
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('../web/tsconfig.json', import.meta.url));

describe('the page', () => {
  it('type-checks (web/tsconfig.json: DOM, Preact JSX, the shared protocol types)', async () => {
    const output = await new Promise<string>((resolve) => execFile(process.execPath, [tsc, '-p', project], (_error, stdout, stderr) => resolve(`${stdout}${stderr}`)));
    expect(output).toBe('');
  }, 60_000);
});
