export { pluginsConfigSection, pluginsConfig, type PluginsConfig } from './config.js';
export { PRIORITY } from './priorities.js';
export { registerPlugins, reloadPlugins, describeOutcomes } from './register.js';
export { builtinPlugins, loadBuiltinPlugins, type BuiltinOptions } from './builtins.js';
export { checkPlugins } from './check.js';
export {
  loadUserPlugins, reloadUserPlugins, importUserPlugin, userPluginEntries, configBaseDir,
  type UserPluginEntry, type UserPluginOutcome, type LoadUserPluginsOptions,
} from './loader/load-user-plugins.js';
export { parseCommand, type ParsedCommand } from './shared/command.js';
export { FROM_VOICE } from './shared/keys.js';
export { prefixPlugin } from './prefix/prefix-plugin.js';
export { groupWhitelistPlugin } from './group-whitelist/group-whitelist-plugin.js';
export { imageCreatePlugin } from './image-create/image-create-plugin.js';
export { createAdminPlugin } from './admin/admin-plugin.js';
export { createBanwordsPlugin } from './banwords/banwords-plugin.js';
export { createKeywordPlugin } from './keyword/keyword-plugin.js';
export { createVoicePlugin, VOICE_NOT_UNDERSTOOD, type VoicePluginOptions } from './voice/voice-plugin.js';
export { FfmpegTranscoder, TranscodeError, type Transcoder, type VoicePart } from './voice/transcoder.js';
export { locateFfmpeg, describeLocation, ffmpegCandidates, FFMPEG_INSTALL_HINT, type FfmpegLocation, type FfmpegProbe } from './voice/ffmpeg-locator.js';
