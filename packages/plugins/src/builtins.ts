import type { AnyConfigSection, AppConfig, PluginControl } from '@wecom-bot/core';
import { adminConfigSection, createAdminPlugin } from './admin/admin-plugin.js';
import { banwordsConfigSection, createBanwordsPlugin } from './banwords/banwords-plugin.js';
import { isDisabled } from './disabled-plugins.js';
import { createEventsPlugin, eventsConfigSection } from './events/events-plugin.js';
import { createGroupWhitelistPlugin, groupWhitelistConfigSection } from './group-whitelist/group-whitelist-plugin.js';
import { createImageCreatePlugin, imageCreateConfigSection } from './image-create/image-create-plugin.js';
import { createKeywordPlugin, keywordConfigSection } from './keyword/keyword-plugin.js';
import { createPrefixPlugin, prefixConfigSection } from './prefix/prefix-plugin.js';
import { defineBuiltin, defineBuiltinSharing, type BuiltinPlugin } from './shared/builtin.js';
import { commandConfigSection } from './shared/command.js';
import { createVoicePlugin, voiceConfigSection, type VoicePluginOptions } from './voice/voice-plugin.js';

export interface BuiltinOptions {
  voice?: VoicePluginOptions;
}

/**
 * Every built-in: its config and its factory. Listed in the order of the config reference
 * (config.json.template, the README), which their sections follow; they run by priority.
 */
export function builtinPlugins(options: BuiltinOptions = {}): BuiltinPlugin[] {
  return [
    defineBuiltin(prefixConfigSection, createPrefixPlugin),
    defineBuiltin(groupWhitelistConfigSection, createGroupWhitelistPlugin),
    defineBuiltin(imageCreateConfigSection, createImageCreatePlugin),
    defineBuiltin(voiceConfigSection, (config) => createVoicePlugin(config, options.voice)),
    defineBuiltinSharing(commandConfigSection, adminConfigSection, createAdminPlugin),
    defineBuiltin(banwordsConfigSection, createBanwordsPlugin),
    defineBuiltin(keywordConfigSection, createKeywordPlugin),
    defineBuiltinSharing(prefixConfigSection, eventsConfigSection, createEventsPlugin),
  ];
}

/** The sections the built-ins read, each once (a shared one is named by several). */
export function builtinConfigSections(): AnyConfigSection[] {
  return [...new Set(builtinPlugins().flatMap((b) => b.config))];
}

/** Adds fresh built-ins to the plugin list; those named in `disabled_plugins` are loaded switched off. */
export async function loadBuiltinPlugins(plugins: PluginControl, config: AppConfig, options: BuiltinOptions = {}): Promise<void> {
  const created = builtinPlugins(options).map((b) => b.create(config));
  // Added in the order they run, so their setups (ffmpeg probe, admin list) run in that order too.
  created.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0));
  for (const plugin of created) await plugins.add(plugin, { enabled: !isDisabled(config, plugin.name), source: 'builtin' });
}
