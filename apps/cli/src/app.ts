import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { coreConfigSection, SecretRegistry, type AppConfig, type Channel, type Logger } from '@wecom-bot/core';
import { assembleApp, createLogger } from '@wecom-bot/core/runtime';
import { integrations } from './integrations.js';
import { loadAppConfig, type ConfigLocation } from './load.js';

export interface App {
  container: DependencyContainer;
  config: AppConfig;
  logger: Logger;
  channel: Channel;
  /** Starts the channel; resolves once it accepts messages. */
  start(): Promise<void>;
  /** Stops taking messages, lets in-flight replies finish (bounded), releases plugins. */
  stop(reason: string): Promise<void>;
}

/** Loads the config and assembles the app from the integrations: the one composition root. */
export async function buildApp(location: ConfigLocation): Promise<App> {
  const loaded = loadAppConfig(location);
  const secrets = new SecretRegistry();
  loaded.secretValues.forEach((value) => secrets.add(value));
  const { config } = loaded;
  const core = coreConfigSection.read(config);
  const logger = createLogger({ level: core.log_level, secrets });
  if (!loaded.fromFile) logger.warn(`no config file at ${location.path}: running the demo (terminal channel, echo bot). \`wecom-bot init\` writes one.`);
  for (const warning of loaded.warnings) logger.warn(`config: ${warning}`);

  const app = assembleApp(rootContainer.createChildContainer(), {
    config,
    secrets,
    logger,
    integrations,
    configPath: loaded.fromFile ? location.path : undefined,
    reloadConfig: () => reloadConfig(location, config, secrets),
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
    },
    async stop(reason) {
      logger.info({ reason, inFlight: pipeline.pending }, 'stopping');
      await channel.stop();
      const graceMs = core.shutdown_grace_seconds * 1000;
      if (!(await pipeline.drain(graceMs))) logger.warn({ unfinished: pipeline.pending }, `replies still running after ${graceMs / 1000}s; stopping anyway`);
      await app.plugins.disposeAll();
      logger.info('stopped');
    },
  };
}

/** `#reload`: re-read config.json into the live config object, keeping it on any error. */
async function reloadConfig(location: ConfigLocation, live: AppConfig, secrets: SecretRegistry): Promise<string> {
  const fresh = loadAppConfig(location);
  fresh.secretValues.forEach((value) => secrets.add(value));
  for (const key of Object.keys(live)) if (!(key in fresh.config)) delete live[key];
  Object.assign(live, fresh.config);
  return `config reloaded from ${location.path}${fresh.warnings.length ? ` (${fresh.warnings.length} warnings)` : ''}`;
}
