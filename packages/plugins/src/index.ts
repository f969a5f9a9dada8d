export { pluginsIntegration, createPluginsIntegration, pluginsConfigSections, describeOutcomes } from './integration.js';
export { PRIORITY } from './priorities.js';
export { builtinPlugins, builtinConfigSections, loadBuiltinPlugins, type BuiltinOptions } from './builtins.js';
export { defineBuiltin, defineBuiltinSharing, type BuiltinPlugin } from './shared/builtin.js';
export { disabledPluginsConfigSection } from './disabled-plugins.js';
export { checkPlugins } from './check.js';
export {
  loadUserPlugins, reloadUserPlugins, importUserPlugin, userPluginEntries, configBaseDir,
  type UserPluginEntry, type UserPluginOutcome, type LoadUserPluginsOptions,
} from './loader/load-user-plugins.js';
export {
  loadIntegrations, importIntegration, foreignSectionProblems,
  type LoadedIntegration, type IntegrationsOutcome, type LoadIntegrationsOptions,
} from './loader/load-integrations.js';
export { parseCommand, commandConfigSection, type ParsedCommand, type CommandConfig } from './shared/command.js';
export { FROM_VOICE } from './shared/keys.js';
export { createPrefixPlugin, prefixConfigSection, type PrefixConfig } from './prefix/prefix-plugin.js';
export { createGroupWhitelistPlugin, groupWhitelistConfigSection } from './group-whitelist/group-whitelist-plugin.js';
export { createImageCreatePlugin, imageCreateConfigSection } from './image-create/image-create-plugin.js';
export { createAdminPlugin, adminConfigSection, type AdminConfig } from './admin/admin-plugin.js';
export { createBanwordsPlugin, banwordsConfigSection, type BanwordsConfig } from './banwords/banwords-plugin.js';
export { createEventsPlugin, eventsConfigSection, type EventsConfig } from './events/events-plugin.js';
export { createKeywordPlugin, keywordConfigSection, type KeywordConfig } from './keyword/keyword-plugin.js';
export { createVoicePlugin, voiceConfigSection, VOICE_NOT_UNDERSTOOD, type VoiceConfig, type VoicePluginOptions } from './voice/voice-plugin.js';
export { FfmpegTranscoder, TranscodeError, type Transcoder, type VoicePart } from './voice/transcoder.js';
export { locateFfmpeg, describeLocation, ffmpegCandidates, FFMPEG_INSTALL_HINT, type FfmpegLocation, type FfmpegProbe } from './voice/ffmpeg-locator.js';
