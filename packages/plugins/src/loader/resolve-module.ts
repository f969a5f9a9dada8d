import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'];

/** True when `from` names a file or folder rather than an npm package. */
export function isPath(from: string): boolean {
  return from.startsWith('.') || isAbsolute(from) || SCRIPT_EXTENSIONS.includes(extname(from));
}

/**
 * The URL to import for a `plugins` entry: a path (relative to `baseDir`; a folder means its
 * index file) or a package installed where the bot runs. `fresh` defeats the ESM cache
 * so `#reload` picks up an edited file.
 */
export function resolvePluginModule(from: string, baseDir: string, fresh = false): string {
  let url: string;
  if (isPath(from)) {
    url = pathToFileURL(resolvePath(resolve(baseDir, from))).href;
  } else {
    let path: string;
    try {
      path = createRequire(join(baseDir, 'package.json')).resolve(from);
    } catch {
      throw new Error(`cannot find the package "${from}" from ${baseDir}: install it there (pnpm add ${from}) or give a path`);
    }
    url = pathToFileURL(path).href;
  }
  return fresh ? `${url}?reload=${Date.now()}` : url;
}

function resolvePath(path: string): string {
  if (!existsSync(path)) throw new Error(`file not found: ${path}`);
  if (!statSync(path).isDirectory()) return path;
  const entry = packageEntry(path);
  if (entry !== undefined && resolve(entry) !== resolve(path)) return resolvePath(entry);
  for (const name of ['index.ts', 'index.mts', 'index.mjs', 'index.js']) {
    if (existsSync(join(path, name))) return join(path, name);
  }
  throw new Error(`${path} is a folder without an index.ts or index.js`);
}

/** A package folder's entry, as its package.json names it (`exports` ".", else `main`): a package's folder loads like the package. */
function packageEntry(dir: string): string | undefined {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const { exports, main } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown; main?: unknown };
  const target = exportTarget(exports) ?? (typeof main === 'string' ? main : undefined);
  return target === undefined ? undefined : join(dir, target);
}

/** `"./x"`, `{ ".": … }`, or conditions `{ import | default: … }`, nested. */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const map = value as Record<string, unknown>;
  return exportTarget(map['.'] ?? map.import ?? map.default);
}
