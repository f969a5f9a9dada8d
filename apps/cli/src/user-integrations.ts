import { ConfigError, coreConfigSection } from '@wecom-bot/core';
import { configBaseDir, loadIntegrations, type IntegrationsOutcome, type LoadedIntegration } from '@wecom-bot/plugins';
import { integrations } from './integrations.js';
import { inspectAppConfig, type ConfigLocation } from './load.js';

/**
 * The user's channels and bots, named in config `integrations`. Their config sections
 * validate the rest of config.json, so the list is read first, from a pass with the built-in
 * sections only (file, legacy layouts and the INTEGRATIONS variable, as every key is read);
 * that pass's problems are left to the full validation that follows.
 */
export async function inspectUserIntegrations(location: ConfigLocation): Promise<IntegrationsOutcome> {
  const first = inspectAppConfig(location);
  const entries = coreConfigSection.read(first.config).integrations;
  if (entries.length === 0) return { loaded: [], problems: [] };
  return loadIntegrations(entries, { baseDir: configBaseDir(first.fromFile ? location.path : undefined), builtins: integrations });
}

/** As inspectUserIntegrations, for `start`: a broken integration is a ConfigError (exit 1) naming it. */
export async function loadUserIntegrations(location: ConfigLocation): Promise<LoadedIntegration[]> {
  const outcome = await inspectUserIntegrations(location);
  if (outcome.problems.length > 0) throw new ConfigError(outcome.problems, location.path);
  return outcome.loaded;
}
