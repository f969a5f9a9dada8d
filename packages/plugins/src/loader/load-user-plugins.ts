import { dirname } from 'node:path';
import { coreConfigSection, withinTime, type AppConfig, type Logger, type Plugin, type PluginControl } from '@wecom-bot/core';
import { isDisabled } from '../disabled-plugins.js';
import { PRIORITY } from '../priorities.js';
import { importModule } from './import-module.js';
import { resolvePluginModule } from './resolve-module.js';

/** How long a plugin's import (with its factory) and its setup may each take before it is skipped. */
export const DEFAULT_TIME_LIMIT_MS = 10_000;

/** One `plugins` entry of config.json, normalized. */
export interface UserPluginEntry {
  from: string;
  enabled: boolean;
  config: Record<string, unknown>;
}

export interface UserPluginOutcome {
  from: string;
  /** The plugin's name once known. */
  name?: string;
  ok: boolean;
  /** Why it was skipped, for the log and `wecom-bot check`. */
  error?: string;
}

export interface LoadUserPluginsOptions {
  logger: Logger;
  /** Relative paths and packages are resolved from here: config.json's folder (default: cwd). */
  baseDir?: string;
  /** Re-import changed files (for `#reload`). */
  fresh?: boolean;
  /** Per plugin, for the import and again for setup (default 10 s): a hung plugin never stops start-up. */
  timeLimitMs?: number;
}

/** Anything with zod's `safeParse`: the plugin may bring its own copy of zod. */
interface SchemaLike {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
}

/**
 * Loads the user plugins named in config `plugins`. A module's default export is a plugin
 * or a factory `(config) => plugin`; an exported `configSchema` (zod) validates the entry's
 * `config` first. A plugin that fails to load, validate or set up is logged by name and
 * skipped; the others load.
 */
export async function loadUserPlugins(plugins: PluginControl, config: AppConfig, options: LoadUserPluginsOptions): Promise<UserPluginOutcome[]> {
  const outcomes: UserPluginOutcome[] = [];
  for (const entry of userPluginEntries(config)) {
    const outcome = await loadOne(plugins, entry, config, options);
    outcomes.push(outcome);
    if (outcome.ok) options.logger.info({ plugin: outcome.name, from: entry.from }, 'user plugin loaded');
    else options.logger.error({ from: entry.from, plugin: outcome.name }, `user plugin ${outcome.name ?? entry.from} skipped: ${outcome.error}`);
  }
  return outcomes;
}

/** Removes every user plugin and loads them again from the (re-read) config. */
export async function reloadUserPlugins(plugins: PluginControl, config: AppConfig, options: LoadUserPluginsOptions): Promise<UserPluginOutcome[]> {
  for (const plugin of plugins.list()) if (plugin.source !== 'builtin') await plugins.remove(plugin.name);
  return loadUserPlugins(plugins, config, { ...options, fresh: true });
}

export function userPluginEntries(config: AppConfig): UserPluginEntry[] {
  // A bare string is the short form of an entry with no settings.
  return coreConfigSection.read(config).plugins.map((item) => (typeof item === 'string' ? { from: item, enabled: true, config: {} } : item));
}

/** Imports, validates and builds one plugin without adding it (shared with `wecom-bot check`). */
export async function importUserPlugin(entry: UserPluginEntry, baseDir: string, fresh = false): Promise<Plugin> {
  const module = (await importModule(resolvePluginModule(entry.from, baseDir, fresh))) as { default?: unknown; plugin?: unknown; configSchema?: unknown };
  const exported = module.default ?? module.plugin;
  if (exported === undefined) throw new Error('the module has no default export: export default a plugin object or a factory (config) => plugin');
  const schema = module.configSchema ?? (exported as { configSchema?: unknown }).configSchema;
  let pluginConfig: unknown = entry.config;
  if (isSchema(schema)) {
    const result = schema.safeParse(entry.config);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.map(String).join('.') || '(config)'}: ${i.message}`);
      throw new Error(`its "config" is invalid: ${issues.join('; ')}`);
    }
    pluginConfig = result.data;
  }
  const plugin = (typeof exported === 'function' ? await (exported as (config: unknown) => unknown)(pluginConfig) : exported) as Plugin;
  if (typeof plugin === 'object' && plugin !== null && plugin.priority === undefined) plugin.priority = PRIORITY.user;
  return plugin;
}

async function loadOne(plugins: PluginControl, entry: UserPluginEntry, config: AppConfig, options: LoadUserPluginsOptions): Promise<UserPluginOutcome> {
  const baseDir = options.baseDir ?? process.cwd();
  const limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const seconds = `${limitMs / 1000} s`;
  let plugin: Plugin;
  try {
    plugin = await withinTime(importUserPlugin(entry, baseDir, options.fresh), limitMs, `it did not load within ${seconds}`);
    await plugins.add(plugin, { enabled: false, source: entry.from });
  } catch (error) {
    return { from: entry.from, ok: false, error: message(error) };
  }
  const name = plugin.name;
  if (!entry.enabled || isDisabled(config, name)) return { from: entry.from, name, ok: true };
  try {
    // A setup that never finishes is abandoned: it may still run, but the plugin gets no messages.
    await withinTime(plugins.enable(name), limitMs, `it did not finish within ${seconds}`);
    return { from: entry.from, name, ok: true };
  } catch (error) {
    await plugins.remove(name).catch(() => undefined);
    return { from: entry.from, name, ok: false, error: `setup failed: ${message(error)}` };
  }
}

/** config.json's folder, for resolving relative plugin paths. */
export function configBaseDir(configPath: string | undefined): string {
  return configPath ? dirname(configPath) : process.cwd();
}

function isSchema(value: unknown): value is SchemaLike {
  return typeof value === 'object' && value !== null && typeof (value as SchemaLike).safeParse === 'function';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
