import { TOKENS } from '@wecom-bot/core';
import type { DependencyContainer } from 'tsyringe';
import { loadBuiltinPlugins, type BuiltinOptions } from './builtins.js';
import { configBaseDir, loadUserPlugins, reloadUserPlugins, type UserPluginOutcome } from './loader/load-user-plugins.js';

function deps(container: DependencyContainer) {
  const configPath = container.isRegistered(TOKENS.ConfigPath) ? container.resolve(TOKENS.ConfigPath) : undefined;
  return {
    manager: container.resolve(TOKENS.PluginManager),
    config: container.resolve(TOKENS.Config),
    options: { logger: container.resolve(TOKENS.Logger).child({ component: 'plugins' }), baseDir: configBaseDir(configPath) },
  };
}

/**
 * The CLI calls this after `registerCore`: adds the built-in plugins (probing ffmpeg once),
 * then the user plugins named in config `plugins`. A broken user plugin is logged and skipped;
 * the outcomes say which.
 */
export async function registerPlugins(container: DependencyContainer, options: BuiltinOptions = {}): Promise<UserPluginOutcome[]> {
  const { manager, config, options: loadOptions } = deps(container);
  await loadBuiltinPlugins(manager, config, options);
  return loadUserPlugins(manager, config, loadOptions);
}

/** For the CLI's `reload()`: after config.json was re-read into the live config, reload user plugins. */
export async function reloadPlugins(container: DependencyContainer): Promise<UserPluginOutcome[]> {
  const { manager, config, options } = deps(container);
  return reloadUserPlugins(manager, config, options);
}

/** A one-line summary of outcomes, for `#reload`'s answer. */
export function describeOutcomes(outcomes: UserPluginOutcome[]): string {
  if (outcomes.length === 0) return 'no user plugins';
  return outcomes.map((o) => (o.ok ? `${o.name} ok` : `${o.name ?? o.from} skipped (${o.error})`)).join(', ');
}
