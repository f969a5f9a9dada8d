import * as nodeModule from 'node:module';

const TYPESCRIPT = /\.(?:ts|mts|cts)$/;

/**
 * A resolution hook: a `.ts` file that Node would load as CommonJS (no `"type": "module"` in
 * the package.json above it, as in a folder made by `npm init` or a container's /data) loads
 * as an ES module. Plugins are written with `import`; as CommonJS, tsx turns them into
 * `require` calls, which fail on the ESM-only @wecom-bot packages ("Cannot require() ES Module
 * … in a cycle"), or (Node 24) the default export arrives wrapped and the plugin has no name.
 * `.cts` stays CommonJS. Node 22.7+ calls the format "commonjs-typescript".
 */
function asEsm<R extends { url: string; format?: string | null }>(result: R): R {
  return result.format?.startsWith('commonjs') && /\.ts$/.test(new URL(result.url).pathname) ? { ...result, format: 'module' } : result;
}

/** The same, for module.register (run in the loader thread, so given as source). */
const AS_ESM_SOURCE = `export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  return result.format?.startsWith('commonjs') && /\\.ts$/.test(new URL(result.url).pathname) ? { ...result, format: 'module' } : result;
}`;

let registering: Promise<void> | undefined;

/**
 * `import(url)` for a user's plugin or integration. A TypeScript file needs a loader: tsx is
 * registered on the first such import and not before, so a bot whose plugins are JavaScript
 * (or that has none) never loads it: it costs start-up time and memory, and writes its cache
 * under $TMPDIR. Run from sources (tsx or vitest: this very module is .ts) a loader is there
 * already.
 */
export async function importModule(url: string): Promise<unknown> {
  if (TYPESCRIPT.test(new URL(url).pathname) && !import.meta.url.endsWith('.ts')) await (registering ??= registerTsx());
  return import(url);
}

async function registerTsx(): Promise<void> {
  const { register } = await import('tsx/esm/api');
  register();
  // Registered after tsx, so each runs before it and sees its answer. tsx uses the in-thread
  // module.registerHooks where Node has it (22.15+, 24) and module.register elsewhere: both.
  nodeModule.register(`data:text/javascript,${encodeURIComponent(AS_ESM_SOURCE)}`);
  const registerHooks = (nodeModule as { registerHooks?: (hooks: { resolve: ResolveHook }) => unknown }).registerHooks;
  registerHooks?.({ resolve: (specifier, context, next) => asEsm(next(specifier, context)) });
}

type Resolved = { url: string; format?: string | null };
type ResolveHook = (specifier: string, context: unknown, next: (specifier: string, context: unknown) => Resolved) => Resolved;
