import type { Context } from './context.js';
import type { Reply } from './reply.js';
import type { PluginHost } from './plugin-host.js';
import type { Channel } from './contracts.js';

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
}

export type Hook = (event: HookEvent) => HookResult | Promise<HookResult>;

export const HOOK_NAMES = ['onReceiveMessage', 'onHandleContext', 'onDecorateReply', 'onSendReply'] as const;
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
}

export type Disposer = () => void | Promise<void>;

/** Identity helper that gives a plugin literal its type. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
