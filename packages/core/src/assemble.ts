import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { Bridge } from './bridge.js';
import { coreConfigSection } from './config/core-section.js';
import type { AppConfig } from './config/section.js';
import type { Channel } from './contracts.js';
import type { Integration, IntegrationServices, PluginServices } from './integration.js';
import type { Logger } from './logger.js';
import { Operations } from './ops/operations.js';
import { ChatPipeline } from './pipeline.js';
import { PluginManager } from './plugin-manager.js';
import type { SecretRegistry } from './secrets.js';
import type { Stores } from './store/contracts.js';
import { createMemoryStores } from './store/memory.js';
import { applyPluginOverrides } from './runtime-settings.js';
import { TOKENS } from './tokens.js';

export interface AppParts {
  /** Validated against every integration's sections (loadConfig / validateConfig). */
  config: AppConfig;
  secrets: SecretRegistry;
  logger: Logger;
  integrations: readonly Integration[];
  configPath?: string;
  /** Re-reads config.json into `config` (the CLI's); each integration's `reload` follows. */
  reloadConfig?: () => Promise<string>;
  /** Opened by the composition root from `store` (disk, Redis); memory when absent (tests). */
  stores?: Stores;
}

export interface AssembledApp {
  container: DependencyContainer;
  channel: Channel;
  pipeline: ChatPipeline;
  plugins: PluginManager;
  bridge: Bridge;
  /** Metrics, readiness, recent errors and the ops endpoints of this app. */
  ops: Operations;
  /** Adds every integration's plugins (built-ins, then the user's), once, before the channel starts. */
  loadPlugins(): Promise<void>;
}

/**
 * The wiring, in one place and in dependency order, so nothing is bound late: config,
 * logger and secrets; the stores; the ops (metrics, readiness); the bots (Bridge); the
 * plugins with their host; the channel `channel_type` names; the pipeline that joins them.
 * Each is a tsyringe factory in `container`, built once on first resolve.
 */
export function assembleApp(container: DependencyContainer, parts: AppParts): AssembledApp {
  const { config, logger, integrations } = parts;
  container.registerInstance(TOKENS.Config, config);
  container.registerInstance(TOKENS.Logger, logger);
  container.registerInstance(TOKENS.Secrets, parts.secrets);
  container.registerInstance(TOKENS.Integrations, integrations);
  const stores = parts.stores ?? createMemoryStores();
  // Kept by the stores where they can (data_dir), so a restart resumes its own work at once.
  const instanceId = stores.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  container.registerInstance(TOKENS.Stores, stores);
  container.registerInstance(TOKENS.SessionStore, stores.sessions);
  const ops = new Operations({ secrets: parts.secrets, stores });
  container.registerInstance(TOKENS.Ops, ops);

  const servicesFor = (c: DependencyContainer, integration: Integration): IntegrationServices => ({
    config,
    logger: logger.child({ component: integration.name }),
    secrets: parts.secrets,
    sessions: c.resolve(TOKENS.SessionStore),
    stores: c.resolve(TOKENS.Stores),
    instanceId,
    configPath: parts.configPath,
    ops,
  });
  const pluginServicesFor = (integration: Integration): PluginServices => ({ ...servicesFor(container, integration), plugins: container.resolve(TOKENS.PluginManager) });

  container.register(TOKENS.Bridge, {
    useFactory: instanceCachingFactory((c) => new Bridge(config, integrations, (owner) => servicesFor(c, owner))),
  });
  container.register(TOKENS.PluginManager, {
    useFactory: instanceCachingFactory(
      (c) =>
        new PluginManager(logger.child({ component: 'plugins' }), {
          config,
          logger: logger.child({ component: 'plugin' }),
          bridge: c.resolve(TOKENS.Bridge),
          sessions: c.resolve(TOKENS.SessionStore),
          settings: stores.settings,
          ops,
          // The channel is looked up when a plugin pushes, long after start-up: nothing is bound late.
          push: async (target, reply) => {
            const channel = c.resolve(TOKENS.Channel);
            if (!channel.push) throw new Error(`the ${channel.name} channel cannot send a message nobody asked for`);
            await channel.push(target, reply).catch((error: unknown) => {
              ops.sendFailed(channel.name, error);
              throw error;
            });
          },
          reload: async () => {
            const summaries = [parts.reloadConfig ? await parts.reloadConfig() : 'config.json is not reloaded here'];
            for (const integration of integrations) if (integration.reload) summaries.push(await integration.reload(pluginServicesFor(integration)));
            return summaries.join('; ');
          },
        }),
    ),
  });
  container.register(TOKENS.Channel, {
    useFactory: instanceCachingFactory((c) => {
      const name = coreConfigSection.read(config).channel_type;
      const owner = integrations.find((i) => i.channels?.[name]);
      const offer = owner?.channels?.[name];
      if (!owner || !offer) throw new Error(`Unknown channel_type "${name}".`);
      return offer.create(servicesFor(c, owner));
    }),
  });
  container.register(TOKENS.Pipeline, {
    useFactory: instanceCachingFactory(
      (c) => new ChatPipeline(config, c.resolve(TOKENS.PluginManager), c.resolve(TOKENS.Bridge), c.resolve(TOKENS.Channel), logger.child({ component: 'pipeline' }), ops),
    ),
  });

  return {
    container,
    pipeline: container.resolve(TOKENS.Pipeline),
    channel: container.resolve(TOKENS.Channel),
    plugins: container.resolve(TOKENS.PluginManager),
    bridge: container.resolve(TOKENS.Bridge),
    ops,
    async loadPlugins() {
      for (const integration of integrations) await integration.plugins?.(pluginServicesFor(integration));
      await applyPluginOverrides(container.resolve(TOKENS.PluginManager), stores.settings);
    },
  };
}
