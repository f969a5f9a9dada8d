import type { InjectionToken } from 'tsyringe';
import type { Bridge } from './bridge.js';
import type { AppConfig } from './config/section.js';
import type { Channel } from './contracts.js';
import type { Integration } from './integration.js';
import type { Logger } from './logger.js';
import type { Operations } from './ops/operations.js';
import type { ChatPipeline } from './pipeline.js';
import type { PluginManager } from './plugin-manager.js';
import type { SecretRegistry } from './secrets.js';
import type { SessionStore } from './session-store.js';
import type { Stores } from './store/contracts.js';

/**
 * Explicit injection tokens: esbuild (vitest, tsx) emits no decorator metadata, so every
 * dependency is named by a token, never inferred from a parameter type.
 */
export const TOKENS = {
  Config: Symbol('Config') as InjectionToken<AppConfig>,
  Logger: Symbol('Logger') as InjectionToken<Logger>,
  Secrets: Symbol('Secrets') as InjectionToken<SecretRegistry>,
  Integrations: Symbol('Integrations') as InjectionToken<readonly Integration[]>,
  Stores: Symbol('Stores') as InjectionToken<Stores>,
  SessionStore: Symbol('SessionStore') as InjectionToken<SessionStore>,
  Bridge: Symbol('Bridge') as InjectionToken<Bridge>,
  PluginManager: Symbol('PluginManager') as InjectionToken<PluginManager>,
  Channel: Symbol('Channel') as InjectionToken<Channel>,
  Pipeline: Symbol('Pipeline') as InjectionToken<ChatPipeline>,
  /** Metrics, readiness, recent errors and the ops endpoints: one per app. */
  Ops: Symbol('Ops') as InjectionToken<Operations>,
} as const;
