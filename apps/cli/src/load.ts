import { resolve } from 'node:path';
import { ConfigError, type Integration } from '@wecom-bot/core';
import { choiceProblems, inspectConfig, integrationSections, type LoadedConfig } from '@wecom-bot/core/runtime';
import { foreignSectionProblems } from '@wecom-bot/plugins';
import { allSections, integrations } from './integrations.js';
import { nothingConfiguredProblem, settingsFromEnvironment } from './unconfigured.js';

/** What runs when nothing is configured and a person sits at the terminal: no platform, no API. */
export const DEMO_CONFIG = { channel_type: 'terminal', bot_type: 'echo', log_level: 'warn' }; // info lines would bury the chat

export interface ConfigLocation {
  path: string;
  /** Given with --config: then a missing file is an error, not the demo. */
  explicit: boolean;
}

/**
 * Where the settings came from: a file, the environment alone (docker-compose, Railway), the
 * demo (nothing set, and a terminal to chat in), or nothing at all (start refuses).
 */
export type ConfigMode = 'file' | 'environment' | 'demo' | 'unconfigured';

export type AppConfigInspection = ReturnType<typeof inspectConfig> & { mode: ConfigMode };

export function locateConfig(option: string | undefined): ConfigLocation {
  return { path: resolve(option ?? 'config.json'), explicit: option !== undefined };
}

/** Loads and validates, throwing one ConfigError with every problem. `extra`: the user's integrations. */
export function loadAppConfig(location: ConfigLocation, extra: readonly Integration[] = [], terminal?: boolean): LoadedConfig & { mode: ConfigMode } {
  const inspected = inspectAppConfig(location, extra, terminal);
  if (inspected.problems.length > 0) throw new ConfigError(inspected.problems, location.path);
  return inspected;
}

/**
 * Without config.json, the environment's settings apply over the real defaults (bot_type
 * openai). Only when nothing at all is set does the demo stand in, and only on a terminal:
 * a container with nothing configured must fail loudly, not chat with an empty stdin.
 */
export function inspectAppConfig(location: ConfigLocation, extra: readonly Integration[] = [], terminal = Boolean(process.stdin.isTTY)): AppConfigInspection {
  const sections = [...allSections(), ...integrationSections(extra)];
  let inspected = inspectConfig({ path: location.path, mustExist: location.explicit, sections });
  let mode: ConfigMode = inspected.fromFile ? 'file' : 'environment';
  if (!inspected.fromFile && settingsFromEnvironment(inspected.fromEnvironment).length === 0) {
    if (terminal) {
      inspected = inspectConfig({ path: location.path, sections, whenMissing: DEMO_CONFIG });
      mode = 'demo';
    } else {
      mode = 'unconfigured';
      inspected.problems.unshift(nothingConfiguredProblem(location.path));
    }
  }
  inspected.problems.splice(mode === 'unconfigured' ? 1 : 0, 0, ...choiceProblems(inspected.config, [...integrations, ...extra]), ...foreignSectionProblems(extra, inspected.config));
  return { ...inspected, mode };
}
