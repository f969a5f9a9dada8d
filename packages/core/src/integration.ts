import type { AnyConfigSection, AppConfig } from './config/section.js';
import type { Bot, Channel, CheckItem, VoiceEngine } from './contracts.js';
import type { Logger } from './logger.js';
import type { Operations } from './ops/operations.js';
import type { PluginControl } from './plugin.js';
import type { SecretRegistry } from './secrets.js';
import type { SessionStore } from './session-store.js';
import type { Stores } from './store/contracts.js';

/** What every contribution of an integration is built from. */
export interface IntegrationServices {
  /** The live, validated config: read a section's typed view with `section.read(config)`. */
  readonly config: AppConfig;
  /** A logger named after the integration. */
  readonly logger: Logger;
  /** Register values learned at run time (tokens) so no log line shows them. */
  readonly secrets: SecretRegistry;
  /** Conversation history (the same as `stores.sessions`). */
  readonly sessions: SessionStore;
  /** Every store (seen ids, pending answers, settings, outbox, pacing, leases): memory, disk or Redis, as configured. */
  readonly stores: Stores;
  /** This process among several sharing the stores: "host:pid:random", for claims and leases. */
  readonly instanceId: string;
  /** config.json's path (relative paths in it resolve from its folder); undefined without a file. */
  readonly configPath?: string;
  /** Metrics, readiness and the ops endpoints (/healthz, /readyz, /metrics) a channel's server answers. */
  readonly ops: Operations;
}

/** For an integration's plugins and its `#reload`: the services and the plugin list. */
export interface PluginServices extends IntegrationServices {
  readonly plugins: PluginControl;
}

/** What `wecom-bot check --live` hands a live check. */
export interface LiveCheckContext {
  /** config.json's path; undefined without a file. */
  readonly configPath?: string;
  /** Aborted when the check's time is up: pass it to every request. */
  readonly signal: AbortSignal;
  /** For what the check lines do not say (the CLI keeps it quiet). */
  readonly logger: Logger;
}

/**
 * `wecom-bot check --live`: proves the real setup against the platforms (credentials, trusted
 * IPs, the public callback URL) without sending anything to a user. Each failure names its fix;
 * no line may carry a secret.
 */
export type LiveCheck = (config: AppConfig, context: LiveCheckContext) => Promise<CheckItem[]>;

/** A channel_type an integration offers. `check` and `checkLive` run only when it is the chosen channel. */
export interface ChannelOffer {
  create(services: IntegrationServices): Channel;
  check?(config: AppConfig): CheckItem[] | Promise<CheckItem[]>;
  checkLive?: LiveCheck;
}

/** A bot_type an integration offers. `check` and `checkLive` run only when it is the chosen bot. */
export interface BotOffer {
  create(services: IntegrationServices): Bot;
  check?(config: AppConfig): CheckItem[] | Promise<CheckItem[]>;
  checkLive?: LiveCheck;
}

/**
 * Everything one package contributes, in one typed value: its config sections, the
 * channels, bots, voice engines and plugins it offers, its `wecom-bot check` lines and what
 * it reloads on `#reload`. The composition root lists integrations; nothing else is wired.
 */
export interface Integration {
  /** Shown in logs and `check` lines: "wechatcom_app", "openai". */
  readonly name: string;
  readonly config?: readonly AnyConfigSection[];
  readonly channels?: Readonly<Record<string, ChannelOffer>>;
  readonly bots?: Readonly<Record<string, BotOffer>>;
  /** Speech engines by the name `voice_to_text` / `text_to_voice` give. */
  readonly voiceEngines?: Readonly<Record<string, (services: IntegrationServices) => VoiceEngine>>;
  /** Adds the plugins it contributes, once, after the pipeline exists. */
  plugins?(services: PluginServices): Promise<void>;
  /** `wecom-bot check` lines that do not depend on the chosen channel or bot. */
  check?(config: AppConfig, where: { configPath?: string }): CheckItem[] | Promise<CheckItem[]>;
  /** `wecom-bot check --live` lines that do not depend on the chosen channel or bot ([] when not in use). */
  checkLive?: LiveCheck;
  /** `#reload`, after config.json was re-read into the live config: reload what depends on it; a one-line summary. */
  reload?(services: PluginServices): Promise<string>;
}

/** Identity helper that gives an integration literal its type. */
export function defineIntegration<I extends Integration>(integration: I): I {
  return integration;
}

/** Every channel_type (or bot_type, voice engine name) the integrations offer. */
export function offerNames(integrations: readonly Integration[], kind: 'channels' | 'bots' | 'voiceEngines'): string[] {
  return integrations.flatMap((i) => Object.keys(i[kind] ?? {}));
}

/** All config sections of the integrations, for loading and validating config.json. */
export function integrationSections(integrations: readonly Integration[]): AnyConfigSection[] {
  return integrations.flatMap((i) => i.config ?? []);
}
