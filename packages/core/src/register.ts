import type { DependencyContainer } from 'tsyringe';
import { Bridge } from './bridge.js';
import { EchoBot } from './builtin/echo-bot.js';
import { TerminalChannel } from './builtin/terminal-channel.js';
import type { AppConfig } from './config/section.js';
import type { Channel } from './contracts.js';
import type { Logger } from './logger.js';
import { ChatPipeline } from './pipeline.js';
import type { PluginHost } from './plugin-host.js';
import { PluginManager } from './plugin-manager.js';
import type { SecretRegistry } from './secrets.js';
import { MemorySessionStore } from './session-store.js';
import { TOKENS } from './tokens.js';

export type ChannelFactory = (container: DependencyContainer) => Channel;

const channelFactories = new WeakMap<DependencyContainer, Map<string, ChannelFactory>>();

/** A channel package calls this from its `register…(container)` to offer a channel_type. */
export function registerChannel(container: DependencyContainer, name: string, factory: ChannelFactory): void {
  let factories = channelFactories.get(container);
  if (!factories) channelFactories.set(container, (factories = new Map()));
  factories.set(name, factory);
}

export function channelNames(container: DependencyContainer): string[] {
  return [...(channelFactories.get(container)?.keys() ?? [])];
}

/** Builds the channel named by `channel_type`, once, and gives it to the pipeline. */
export function resolveChannel(container: DependencyContainer): Channel {
  if (container.isRegistered(TOKENS.Channel)) return container.resolve(TOKENS.Channel);
  const name = String(container.resolve(TOKENS.Config).channel_type);
  const factory = channelFactories.get(container)?.get(name);
  if (!factory) throw new Error(`Unknown channel_type "${name}". Known: ${channelNames(container).join(', ')}.`);
  const channel = factory(container);
  container.registerInstance(TOKENS.Channel, channel);
  container.resolve(TOKENS.Pipeline).attach(channel);
  return channel;
}

export interface CoreServices {
  config: AppConfig;
  secrets: SecretRegistry;
  logger: Logger;
  /** Re-reads config.json into `config` and reloads user plugins (the CLI supplies it). */
  reload?: () => Promise<string>;
}

/**
 * Registers the core services (store, bridge with the echo bot, plugins, pipeline, the
 * terminal channel). Only the CLI (and tests) build a container; libraries register into it.
 */
export function registerCore(container: DependencyContainer, services: CoreServices): void {
  const { config, logger } = services;
  container.registerInstance(TOKENS.Config, config);
  container.registerInstance(TOKENS.Secrets, services.secrets);
  container.registerInstance(TOKENS.Logger, logger);
  container.registerInstance(TOKENS.SessionStore, new MemorySessionStore());
  const bridge = new Bridge(config);
  bridge.registerBot('echo', () => new EchoBot());
  container.registerInstance(TOKENS.Bridge, bridge);
  const plugins = new PluginManager(logger.child({ component: 'plugins' }));
  container.registerInstance(TOKENS.PluginManager, plugins);
  const host: PluginHost = {
    config,
    logger: logger.child({ component: 'plugin' }),
    bridge,
    sessions: container.resolve(TOKENS.SessionStore),
    plugins,
    reload: services.reload ?? (async () => 'reload is not available here'),
  };
  plugins.bind(host);
  container.registerInstance(TOKENS.PluginHost, host);
  container.registerInstance(TOKENS.Pipeline, new ChatPipeline(config, plugins, bridge, host, logger.child({ component: 'pipeline' })));
  registerChannel(container, 'terminal', () => new TerminalChannel());
}
