import { resolve } from 'node:path';
import { ConfigError } from '@wecom-bot/core';
import { choiceProblems, inspectConfig, type LoadedConfig } from '@wecom-bot/core/runtime';
import { allSections, integrations } from './integrations.js';

/** What runs when there is no config.json: the bot with no platform and no API. */
export const DEMO_CONFIG = { channel_type: 'terminal', bot_type: 'echo', log_level: 'warn' }; // info lines would bury the chat

export interface ConfigLocation {
  path: string;
  /** Given with --config: then a missing file is an error, not the demo. */
  explicit: boolean;
}

export function locateConfig(option: string | undefined): ConfigLocation {
  return { path: resolve(option ?? 'config.json'), explicit: option !== undefined };
}

/** Loads and validates, throwing one ConfigError with every problem. */
export function loadAppConfig(location: ConfigLocation): LoadedConfig {
  const inspected = inspectAppConfig(location);
  if (inspected.problems.length > 0) throw new ConfigError(inspected.problems, location.path);
  return inspected;
}

export function inspectAppConfig(location: ConfigLocation): ReturnType<typeof inspectConfig> {
  const inspected = inspectConfig({ path: location.path, mustExist: location.explicit, sections: allSections(), whenMissing: DEMO_CONFIG });
  inspected.problems.unshift(...choiceProblems(inspected.config, integrations));
  return inspected;
}
