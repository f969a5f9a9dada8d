import type { AppConfig } from './config/section.js';
import type { PluginControl } from './plugin.js';
import type { SettingsStore } from './store/contracts.js';

/**
 * What admins change at run time (`#model`, `#plugins enable/disable`) is kept in the
 * settings store — on disk or in Redis — and laid over config.json at start-up and after
 * `#reload`, so a restart or another instance keeps it. config.json stays the admin's file:
 * nothing is written back into it.
 */
const CONFIG = 'config:';
const PLUGIN = 'plugin:';

/** Changes a config key now and for every later start. */
export async function overrideConfig(config: AppConfig, settings: SettingsStore, key: string, value: unknown): Promise<void> {
  config[key] = value;
  await settings.set(CONFIG + key, value);
}

/** Lays the kept overrides over a freshly loaded config; returns the keys it changed. */
export async function applyConfigOverrides(config: AppConfig, settings: SettingsStore): Promise<string[]> {
  const changed: string[] = [];
  for (const [name, value] of Object.entries(await settings.all())) {
    const key = name.startsWith(CONFIG) ? name.slice(CONFIG.length) : undefined;
    // Only keys the config still has: a key removed by an upgrade is not brought back.
    if (key === undefined || !(key in config)) continue;
    config[key] = value;
    changed.push(key);
  }
  return changed;
}

/** Switches a plugin on or off now and for every later start. */
export async function overridePlugin(plugins: PluginControl, settings: SettingsStore, name: string, enabled: boolean): Promise<void> {
  await (enabled ? plugins.enable(name) : plugins.disable(name));
  await settings.set(PLUGIN + name, enabled);
}

/** After the plugins are loaded: switches each as an admin last left it. */
export async function applyPluginOverrides(plugins: PluginControl, settings: SettingsStore): Promise<void> {
  for (const [name, value] of Object.entries(await settings.all())) {
    if (!name.startsWith(PLUGIN) || typeof value !== 'boolean') continue;
    const plugin = name.slice(PLUGIN.length);
    if (plugins.has(plugin)) await (value ? plugins.enable(plugin) : plugins.disable(plugin));
  }
}
