/**
 * @wecom-bot/core: what plugin, channel, bot and integration authors use. This surface is
 * versioned with the package (semver; while 0.x, a minor release may change it, a patch
 * never does); everything else is internal. The composition root (the CLI, tests) also
 * imports "@wecom-bot/core/runtime", which is not part of it; test helpers are in "/testing".
 */
// tsyringe needs the Reflect polyfill loaded before it is imported anywhere.
import 'reflect-metadata';

// ── Commonly used: messages and replies ──────────────────────────────────────────────
export { ContextType, createContext, contextKey, ctxGet, ctxSet, type Context, type ContextInit, type ContextKey } from './context.js';
export { INBOUND_MEDIA, type InboundMedia } from './media.js';
export { UNVERIFIED_SENDER, unverifiedSender } from './sender-identity.js';
export { ReplyType, textReply, errorReply, infoReply, isTextual, type Reply, type MediaContent, type NewsArticle } from './reply.js';

// ── Plugins ──────────────────────────────────────────────────────────────────────────
export {
  Action, definePlugin, HOOK_NAMES,
  type Plugin, type Hook, type HookEvent, type HookName, type HookResult, type CommandInfo, type Disposer,
  type PluginHost, type PluginControl, type PluginInfo,
} from './plugin.js';

// ── Channels, bots, voice engines ────────────────────────────────────────────────────
export type { Channel, MessageHandler, PushTarget, Bot, Bots, VoiceEngine, Audio, VoiceOutputSpec, CheckItem } from './contracts.js';
export { ReplyWindow, type ReplyWindowOptions } from './reply-window.js';
export { REPLY_DEADLINE } from './pipeline.js';
export { Outbox, channelOutbox, DurableMessage, OUTBOX_MESSAGE, type OutboxOptions, type ResumeHooks } from './outbox.js';
export { ALL_GROUP } from './session-id.js';
export { overrideConfig, overridePlugin } from './runtime-settings.js';

// ── Integrations: one descriptor per package ─────────────────────────────────────────
export {
  defineIntegration,
  type Integration, type IntegrationServices, type PluginServices, type ChannelOffer, type BotOffer,
  type LiveCheck, type LiveCheckContext,
} from './integration.js';
export { probeCallbackUrl, type SignedEchostr, type CallbackUrlProbe } from './live-check/callback-url-probe.js';
export { describeFetchFailure } from './live-check/fetch-failure.js';

// ── Config ───────────────────────────────────────────────────────────────────────────
// The zod that reads every section: an integration's schema built with it needs no zod of its own.
export { z } from 'zod';
export { defineConfigSection, readSections, type ConfigSection, type ConfigSectionSpec, type AnyConfigSection, type SectionConfig, type AppConfig, type ForeignKeyMapping } from './config/section.js';
export { coreConfigSection, type CoreConfig } from './config/core-section.js';
export { ConfigError } from './config/errors.js';
export { missingKeys } from './config/load.js';

// ── Convenience: small tools a channel or plugin needs ───────────────────────────────
export type { Logger } from './logger.js';
export { SecretRegistry } from './secrets.js';
export type { SessionStore } from './session-store.js';
export { withinTime, TimeLimitError } from './time-limit.js';
export { ExpiringMap, type ExpiringMapOptions } from './expiring-map.js';
export { KeyedSerialQueue } from './keyed-queue.js';
export { readLimited } from './read-limited.js';
export { listenOn, type ListenOn } from './listen.js';
export { lockedBy } from './store/disk/lock.js';

// ── Operations: metrics, readiness, the ops endpoints (/healthz, /readyz, /metrics) ─────
export { Operations, type OperationsOptions } from './ops/operations.js';
export { errcodeOf, type BotMetrics, type CallbackResult, type ReplyOutcome } from './ops/metrics.js';
export type { Readiness, ReadinessCheck, ReadinessState, ReadinessReport } from './ops/readiness.js';
export type { RecentErrors, RecentError } from './ops/recent-errors.js';
export { OPS_PATHS, type OpsServer } from './ops/http.js';

// ── Stores: what is kept across restarts and shared by instances (store/contracts.ts) ──
export type {
  Stores, SeenStore, Remembered, PendingStore, PendingAddOptions, SettingsStore, StreamStateStore,
  OutboxStore, OutboxEntry, OutboxAddOptions, UnfinishedOptions, PacingStore, Pace, LeaseStore,
} from './store/contracts.js';
/** In-memory stores: a channel's default when none is given, and tests. */
export { createMemoryStores, type MemoryStoresOptions } from './store/memory.js';
