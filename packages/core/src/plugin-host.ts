import type { Bridge } from './bridge.js';
import type { AppConfig } from './config/section.js';
import type { Logger } from './logger.js';
import type { PluginManager } from './plugin-manager.js';
import type { SessionStore } from './session-store.js';

/** What a plugin may use: the live config, a logger, the bots, sessions and the other plugins. */
export interface PluginHost {
  /** The validated config; `#reload` replaces its contents in place. */
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly bridge: Bridge;
  readonly sessions: SessionStore;
  readonly plugins: PluginManager;
  /** Re-reads config.json and reloads user plugins; resolves to a one-line summary. */
  reload(): Promise<string>;
}
