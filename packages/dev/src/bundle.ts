import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { PageAssets } from './web.js';

const ENTRY = fileURLToPath(new URL('../web/main.tsx', import.meta.url));

/**
 * The page, bundled in memory at start-up (about a tenth of a second) from web/: Preact and
 * marked come from node_modules, so nothing is fetched at run time and nothing is built
 * ahead. esbuild is already what tsx and vitest run on.
 */
export async function bundlePage(): Promise<PageAssets> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    outdir: 'page',
    logLevel: 'silent',
  });
  const text = (extension: string) => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { js: text('.js'), css: text('.css') };
}
