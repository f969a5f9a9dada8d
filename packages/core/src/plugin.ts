import type { AppConfig } from './config/section.js';
import type { Bots, Channel, PushTarget } from './contracts.js';
import type { Context } from './context.js';
import type { Logger } from './logger.js';
import type { Operations } from './ops/operations.js';
import type { Reply } from './reply.js';
import type { SessionStore } from './session-store.js';
import type { SettingsStore } from './store/contracts.js';

/**
 * What a hook tells the pipeline, as in chatgpt-on-wechat:
 * - CONTINUE: the next plugin runs, then the default handling.
 * - BREAK: no further plugins; the default handling still runs.
 * - BREAK_PASS: no further plugins and no default handling (drop the message, skip the
 *   bot, or skip sending, depending on the hook).
 * Returning nothing means CONTINUE.
 */
export const Action = {
  CONTINUE: 'continue',
  BREAK: 'break',
  BREAK_PASS: 'break_pass',
} as const;
export type Action = (typeof Action)[keyof typeof Action];
export type HookResult = Action | void | undefined;

/** The state a hook sees and may change: the context, and the reply once there is one. */
export interface HookEvent {
  context: Context;
  /** Set by onHandleContext to answer without the bot; present from onDecorateReply on. */
  reply?: Reply;
  host: PluginHost;
  /** The channel the message came from (what it can take: `voiceOutput`, `canMention`). */
  channel: Channel;
  /**
   * Delivers one more reply now (the first parts of a long voice reply, an error notice),
   * through the plugins' onSendReply and the channel, as the main reply goes.
   */
  send(reply: Reply): Promise<void>;
  /**
   * onStreamText only: the answer so far, as the channel is about to show it while the bot
   * is still writing. A plugin may change it (mask a word); BREAK_PASS shows no more of the
   * answer until it is finished. The finished answer then goes through onDecorateReply and
   * onSendReply like any reply.
   */
  streamText?: string;
}

export type Hook = (event: HookEvent) => HookResult | Promise<HookResult>;

export const HOOK_NAMES = ['onReceiveMessage', 'onHandleContext', 'onDecorateReply', 'onSendReply', 'onStreamText'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** A chat command a plugin answers, listed by `#help`. */
export interface CommandInfo {
  name: string;
  description: string;
  /** Only admins may run it. */
  adminOnly?: boolean;
}

export interface Plugin {
  /** Unique, lower-case, used in config and admin commands. */
  name: string;
  description?: string;
  /** Higher runs first. Built-ins use 0..1000; user plugins default to 0. */
  priority?: number;
  commands?: CommandInfo[];
  /** Called once when the plugin is enabled; what it returns is called when it is disabled. */
  setup?(host: PluginHost): void | Disposer | Promise<void | Disposer>;
  onReceiveMessage?: Hook;
  onHandleContext?: Hook;
  onDecorateReply?: Hook;
  onSendReply?: Hook;
  /** Only for answers shown as they grow (the AI bot's stream): see `HookEvent.streamText`. */
  onStreamText?: Hook;
}

export type Disposer = () => void | Promise<void>;

/** A loaded plugin as `#plugins list` shows it. */
export interface PluginInfo {
  name: string;
  description: string;
  priority: number;
  enabled: boolean;
  /** "builtin", or the path / package it was loaded from. */
  source: string;
  plugin: Plugin;
}

/** The plugin list: what `#plugins` and an integration's loader use. */
export interface PluginControl {
  /** Adds a plugin in priority order, enabled unless `enabled: false`. */
  add(plugin: Plugin, options?: { enabled?: boolean; source?: string }): Promise<void>;
  remove(name: string): Promise<void>;
  enable(name: string): Promise<void>;
  disable(name: string): Promise<void>;
  has(name: string): boolean;
  list(): PluginInfo[];
}

/** What a plugin may use: the live config, a logger, the bots, sessions and the other plugins. */
export interface PluginHost {
  /** The validated config; `#reload` replaces its contents in place. Read a section with `section.read(config)`. */
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly bridge: Bots;
  readonly sessions: SessionStore;
  /** What admins change at run time, kept across restarts (see `overrideConfig`, `overridePlugin`). */
  readonly settings: SettingsStore;
  readonly plugins: PluginControl;
  /** Re-reads config.json and reloads user plugins; resolves to a one-line summary. */
  reload(): Promise<string>;
  /**
   * Sends a message nobody asked for (a scheduled report) through the running channel.
   * Rejects, saying so, when the channel cannot start a conversation.
   */
  push(target: PushTarget, reply: Reply): Promise<void>;
  /** The running app's figures (metrics, recent errors, uptime), as `#status` shows them. */
  readonly ops: Operations;
}

/** Identity helper that gives a plugin literal its type. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
