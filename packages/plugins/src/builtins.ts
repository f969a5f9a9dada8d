import type { AppConfig, Plugin, PluginManager } from '@wecom-bot/core';
import { pluginsConfig } from './config.js';
import { createAdminPlugin } from './admin/admin-plugin.js';
import { createBanwordsPlugin } from './banwords/banwords-plugin.js';
import { groupWhitelistPlugin } from './group-whitelist/group-whitelist-plugin.js';
import { imageCreatePlugin } from './image-create/image-create-plugin.js';
import { createKeywordPlugin } from './keyword/keyword-plugin.js';
import { prefixPlugin } from './prefix/prefix-plugin.js';
import { createVoicePlugin, type VoicePluginOptions } from './voice/voice-plugin.js';

export interface BuiltinOptions {
  voice?: VoicePluginOptions;
}

/** Fresh instances of every built-in plugin (those with state are made per call). */
export function builtinPlugins(options: BuiltinOptions = {}): Plugin[] {
  return [
    createAdminPlugin(),
    groupWhitelistPlugin,
    createBanwordsPlugin(),
    createVoicePlugin(options.voice),
    prefixPlugin,
    imageCreatePlugin,
    createKeywordPlugin(),
  ];
}

/** Adds the built-ins to the manager; those named in `disabled_plugins` are loaded switched off. */
export async function loadBuiltinPlugins(manager: PluginManager, config: AppConfig, options: BuiltinOptions = {}): Promise<void> {
  const disabled = new Set(pluginsConfig(config).disabled_plugins);
  for (const plugin of builtinPlugins(options)) await manager.add(plugin, { enabled: !disabled.has(plugin.name), source: 'builtin' });
}
