import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** In a fresh process: a resolve hook refuses `openai`, then the package is imported, then `openai` itself. */
const script = (entry: string) => `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent("export async function resolve(s, c, next) { if (s === 'openai' || s.startsWith('openai/')) throw new Error('imported ' + s); return next(s, c); }"));
const pkg = await import(${JSON.stringify(entry)});
console.log('package imported:', typeof pkg.openaiIntegration);
await import('openai').catch((error) => console.log('then:', error.message));
`;

describe('start-up', () => {
  it('imports the package without the openai SDK (about 100 ms), which loads on first use instead', () => {
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(entry)], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(run.stderr).toBe('');
    // The second line shows the hook works: it refuses the SDK when something does import it.
    expect(run.stdout.trim().split('\n')).toEqual(['package imported: object', 'then: imported openai']);
  });
});
