import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import {
  createLogger,
  registerCore,
  resolveChannel,
  SecretRegistry,
  TOKENS,
  type AppConfig,
  type Channel,
  type Logger,
} from '@wecom-bot/core';
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

/** Loads the config and builds the container: the one place that composes the packages. */
export async function buildApp(location: ConfigLocation): Promise<App> {
  const loaded = loadAppConfig(location);
  const secrets = new SecretRegistry();
  loaded.secretValues.forEach((value) => secrets.add(value));
  const { config } = loaded;
  const logger = createLogger({ level: String(config.log_level), secrets });
  if (!loaded.fromFile) logger.warn(`no config file at ${location.path}: running the demo (terminal channel, echo bot). \`wecom-bot init\` writes one.`);
  for (const warning of loaded.warnings) logger.warn(`config: ${warning}`);

  const container = rootContainer.createChildContainer();
  registerCore(container, {
    config,
    secrets,
    logger,
    reload: async () => {
      const summaries = [await reloadConfig(location, config, secrets)];
      for (const integration of integrations) if (integration.reload) summaries.push(await integration.reload(container));
      return summaries.join('; ');
    },
  });
  for (const integration of integrations) await integration.register?.(container);
  const channel = resolveChannel(container);
  const pipeline = container.resolve(TOKENS.Pipeline);

  return {
    container,
    config,
    logger,
    channel,
    async start() {
      await channel.start(pipeline.handle);
      logger.info({ channel: channel.name, bot: config.bot_type }, 'wecom-bot is running');
    },
    async stop(reason) {
      logger.info({ reason, inFlight: pipeline.pending }, 'stopping');
      await channel.stop();
      const graceMs = Number(config.shutdown_grace_seconds) * 1000;
      if (!(await pipeline.drain(graceMs))) logger.warn({ unfinished: pipeline.pending }, `replies still running after ${graceMs / 1000}s; stopping anyway`);
      await container.resolve(TOKENS.PluginManager).disposeAll();
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
