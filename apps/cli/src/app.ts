// tsyringe needs the Reflect polyfill loaded before it (ESM evaluates imports in order).
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { coreConfigSection, SecretRegistry, type AppConfig, type Channel, type Integration, type Logger } from '@wecom-bot/core';
import { applyConfigOverrides, assembleApp, createLogger } from '@wecom-bot/core/runtime';
import { integrations } from './integrations.js';
import { loadAppConfig, type ConfigLocation } from './load.js';
import { loadUserIntegrations } from './user-integrations.js';
import { openStores } from './open-stores.js';

export interface App {
  container: DependencyContainer;
  config: AppConfig;
  logger: Logger;
  channel: Channel;
  /** Starts the channel; resolves once it accepts messages. */
  start(): Promise<void>;
  /** Stops taking messages, lets in-flight replies finish (bounded), releases plugins. */
  stop(reason: string): Promise<void>;
  /** What `#reload` does: re-reads config.json, reloads the user's plugins; a one-line summary. */
  reload(): Promise<string>;
}

/** Loads the config and assembles the app from the integrations: the one composition root. */
export async function buildApp(location: ConfigLocation): Promise<App> {
  // The user's integrations first: their sections take part in validating config.json.
  const user = await loadUserIntegrations(location);
  const extra = user.map((u) => u.integration);
  const loaded = loadAppConfig(location, extra);
  const secrets = new SecretRegistry();
  loaded.secretValues.forEach((value) => secrets.add(value));
  const { config } = loaded;
  const core = coreConfigSection.read(config);
  const logger = createLogger({ level: core.log_level, secrets });
  if (loaded.mode === 'demo') logger.warn(`nothing configured (no config file at ${location.path}, no settings in the environment): running the demo (terminal channel, echo bot). \`wecom-bot init\` writes a config file.`);
  else if (loaded.mode === 'environment') logger.info(`no config file at ${location.path}: using the settings from the environment over the defaults`);
  for (const warning of loaded.warnings) logger.warn(`config: ${warning}`);
  for (const { from, integration } of user) logger.info({ integration: integration.name, from }, 'user integration loaded');

  const stores = await openStores(config, logger);
  const overridden = await applyConfigOverrides(config, stores.settings);
  logger.info({ store: stores.description, overridden }, 'state store open');
  const app = assembleApp(rootContainer.createChildContainer(), {
    stores,
    config,
    secrets,
    logger,
    integrations: [...integrations, ...extra],
    configPath: loaded.fromFile ? location.path : undefined,
    reloadConfig: async () => {
      const summary = await reloadConfig(location, config, secrets, extra);
      // An admin's #model outlives a #reload as it outlives a restart.
      await applyConfigOverrides(config, stores.settings);
      return summary;
    },
  });
  await app.loadPlugins();
  const { channel, pipeline } = app;

  return {
    container: app.container,
    config,
    logger,
    channel,
    async start() {
      await channel.start(pipeline.handle);
      logger.info({ channel: channel.name, bot: core.bot_type }, 'wecom-bot is running');
      // After listening: start-up stays fast, and the first question does not pay for it.
      void app.bridge.bot.warmUp?.().catch((error: unknown) => logger.warn({ err: error }, 'bot warm-up failed; the first answer loads what it needs'));
    },
    reload: () => app.plugins.host.reload(),
    async stop(reason) {
      logger.info({ reason, inFlight: pipeline.pending }, 'stopping');
      await channel.stop();
      const graceMs = core.shutdown_grace_seconds * 1000;
      if (!(await pipeline.drain(graceMs))) logger.warn({ unfinished: pipeline.pending }, `replies still running after ${graceMs / 1000}s; stopping anyway`);
      await app.plugins.disposeAll();
      await stores.close();
      logger.info('stopped');
    },
  };
}

/** `#reload`: re-read config.json into the live config object, keeping it on any error. */
async function reloadConfig(location: ConfigLocation, live: AppConfig, secrets: SecretRegistry, extra: readonly Integration[]): Promise<string> {
  // The integrations loaded at start-up stay (a changed list takes a restart); their keys are re-read.
  const fresh = loadAppConfig(location, extra);
  fresh.secretValues.forEach((value) => secrets.add(value));
  for (const key of Object.keys(live)) if (!(key in fresh.config)) delete live[key];
  Object.assign(live, fresh.config);
  return `config reloaded from ${location.path}${fresh.warnings.length ? ` (${fresh.warnings.length} warnings)` : ''}`;
}
