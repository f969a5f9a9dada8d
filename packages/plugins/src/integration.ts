import { defineIntegration, type PluginServices } from '@wecom-bot/core';
import { builtinConfigSections, loadBuiltinPlugins, type BuiltinOptions } from './builtins.js';
import { checkPlugins } from './check.js';
import { disabledPluginsConfigSection } from './disabled-plugins.js';
import { configBaseDir, loadUserPlugins, reloadUserPlugins, type UserPluginOutcome } from './loader/load-user-plugins.js';

/** Every config section of the plugins: each built-in's, then the plugin list's own. */
export const pluginsConfigSections = [...builtinConfigSections(), disabledPluginsConfigSection];

/** User plugins resolve relative paths from config.json's folder, as a user reads them. */
const loaderOptions = (services: PluginServices) => ({ logger: services.logger, baseDir: configBaseDir(services.configPath) });

/**
 * The plugins' descriptor, with options (a transcoder instead of probing ffmpeg, for tests).
 * Loads the built-ins (probing ffmpeg once), then the user plugins named in config
 * `plugins`; a broken user plugin is logged and skipped. `#reload` reloads the user plugins.
 */
export function createPluginsIntegration(options: BuiltinOptions = {}) {
  return defineIntegration({
    name: 'plugins',
    config: pluginsConfigSections,
    async plugins(services) {
      await loadBuiltinPlugins(services.plugins, services.config, options);
      await loadUserPlugins(services.plugins, services.config, loaderOptions(services));
    },
    check: (config, { configPath }) => checkPlugins(config, { baseDir: configBaseDir(configPath) }),
    reload: async (services) => `plugins: ${describeOutcomes(await reloadUserPlugins(services.plugins, services.config, loaderOptions(services)))}`,
  });
}

/** The built-in plugins and the user's, as the CLI runs them. */
export const pluginsIntegration = createPluginsIntegration();

/** A one-line summary of outcomes, for `#reload`'s answer. */
export function describeOutcomes(outcomes: UserPluginOutcome[]): string {
  if (outcomes.length === 0) return 'no user plugins';
  return outcomes.map((o) => (o.ok ? `${o.name} ok` : `${o.name ?? o.from} skipped (${o.error})`)).join(', ');
}
