/**
 * @wecom-bot/core/runtime: for the composition root (the CLI) and tests, not for plugin or
 * channel authors. Builds the app from integrations and loads config.json.
 */
import 'reflect-metadata';

export { assembleApp, type AppParts, type AssembledApp } from './assemble.js';
export { coreIntegration } from './builtin/core-integration.js';
export { EchoBot } from './builtin/echo-bot.js';
export { TerminalChannel, type TerminalChannelOptions } from './builtin/terminal-channel.js';
export { offerNames, integrationSections } from './integration.js';
export { choiceProblems } from './config/choices.js';
export { loadConfig, inspectConfig, validateConfig, type LoadConfigOptions, type LoadedConfig } from './config/load.js';
export { defaultConfig, describeKeys } from './config/template.js';
export { createLogger, type LoggerOptions } from './logger.js';
export { MemorySessionStore } from './session-store.js';
export { createMemoryStores, type MemoryStoresOptions } from './store/memory.js';
export { createDiskStores, type DiskStoresOptions } from './store/disk/index.js';
export { claimInstanceId, type ClaimedInstanceId } from './store/instance-id.js';
export { ChatPipeline } from './pipeline.js';
export { Bridge } from './bridge.js';
export { PluginManager, type HookRun } from './plugin-manager.js';
export { TOKENS } from './tokens.js';
export { applyConfigOverrides, applyPluginOverrides } from './runtime-settings.js';
