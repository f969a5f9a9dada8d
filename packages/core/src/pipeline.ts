import { setTimeout as delay } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Bridge } from './bridge.js';
import { coreConfigSection, type CoreConfig } from './config/core-section.js';
import type { AppConfig } from './config/section.js';
import type { Channel } from './contracts.js';
import { contextKey, ctxGet, ctxSet, type Context } from './context.js';
import { KeyedSerialQueue } from './keyed-queue.js';
import type { Logger } from './logger.js';
import { OUTBOX_MESSAGE } from './outbox-message.js';
import { Action, type HookEvent, type PluginHost } from './plugin.js';
import type { PluginManager } from './plugin-manager.js';
import { errorReply, type Reply } from './reply.js';
import type { ReplyWindow } from './reply-window.js';
import { resolveSessionId } from './session-id.js';
import { streamThroughPlugins } from './stream-text.js';
import { TimeLimitError, withinTime } from './time-limit.js';

/**
 * When the pipeline gives up on a message (ms since epoch; set as handling starts): a bot
 * that stops a little earlier answers with its own message and keeps a late answer out of
 * its history.
 */
export const REPLY_DEADLINE = contextKey<number>('reply deadline');

/**
 * Where one message's replies go: into the reply window its channel opened, while open,
 * else through `channel.send`. It also makes the one decision that keeps a message to one
 * answer: a reply claims its send as it leaves the send stage, the deadline gives up on the
 * message, and whichever comes first wins (JavaScript runs each of them in one piece).
 * After giving up nothing more is sent; once a reply went out, no error reply follows it.
 */
class Outbound {
  private gaveUp = false;
  private claimed = 0;
  private readonly sending = new Set<Promise<void>>();

  constructor(readonly window: ReplyWindow<unknown> | undefined) {}

  get abandoned(): boolean {
    return this.gaveUp;
  }

  /** Runs `send` (which never rejects) unless the pipeline gave up on the message; false then. */
  async send(send: () => Promise<void>): Promise<boolean> {
    if (this.gaveUp) return false;
    this.claimed += 1;
    const sending = send();
    this.sending.add(sending);
    await sending;
    this.sending.delete(sending);
    return true;
  }

  /** At the deadline: nothing is sent from now on. True when nothing was sent before (the error reply is due). */
  giveUp(): boolean {
    this.gaveUp = true;
    return this.claimed === 0;
  }

  /** Sends still under way: the session's next answer must not overtake them. */
  async settled(): Promise<void> {
    await Promise.all(this.sending);
  }
}

/**
 * Takes each inbound Context through the four plugin hooks and the bot, and hands the
 * Reply to the channel. Messages of one session run in order; sessions run in parallel,
 * with at most `max_concurrent_bot_calls` bot calls in flight. Nothing a plugin, the bot
 * or the channel throws escapes: it becomes an error reply or a log line.
 */
export class ChatPipeline {
  private readonly queue = new KeyedSerialQueue();
  private readonly botLimit: LimitFunction;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly config: CoreConfig;
  private readonly host: PluginHost;

  constructor(
    config: AppConfig,
    private readonly plugins: PluginManager,
    private readonly bridge: Bridge,
    private readonly channel: Channel,
    private readonly logger: Logger,
  ) {
    this.config = coreConfigSection.read(config);
    this.host = plugins.host;
    // Read once: the limiter cannot be resized; a changed limit takes a restart.
    this.botLimit = pLimit(this.config.max_concurrent_bot_calls);
  }

  /**
   * The channel's MessageHandler: resolves when this message is fully handled. Never rejects.
   * Replies go into `window` while it is open (and they fit), otherwise through `channel.send`.
   */
  readonly handle = (context: Context, window?: ReplyWindow<unknown>): Promise<void> => {
    if (!context.sessionId) context.sessionId = resolveSessionId(context, this.config.group_chat_in_one_session);
    const done = this.queue.run(context.sessionId, () => this.processWithDeadline(context, window)).catch((error: unknown) => {
      this.logger.error({ err: error, session: context.sessionId }, 'message handling failed');
    });
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
    return done;
  };

  /** Waits for in-flight messages, at most `timeoutMs`; true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    const all = Promise.allSettled([...this.inFlight]).then(() => true);
    return Promise.race([all, delay(timeoutMs, undefined, { ref: false }).then(() => this.inFlight.size === 0)]);
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /**
   * `reply_timeout_seconds` bounds the whole handling, plugin hooks included: a hook that
   * never settles (a user plugin's fetch without a timeout) would otherwise hold the
   * session's queue, and every later message of that user, forever.
   */
  private async processWithDeadline(context: Context, window: ReplyWindow<unknown> | undefined): Promise<void> {
    const channel = this.channel;
    const timeoutMs = this.config.reply_timeout_seconds * 1000;
    ctxSet(context, REPLY_DEADLINE, Date.now() + timeoutMs);
    const outbound = new Outbound(window);
    try {
      await withinTime(this.process(channel, context, outbound), timeoutMs, 'handling timed out');
    } catch (error) {
      if (!(error instanceof TimeLimitError)) throw error;
      const late = `handling took longer than ${timeoutMs / 1000}s (reply_timeout_seconds)`;
      if (outbound.giveUp()) {
        this.logger.error({ session: context.sessionId, type: context.type }, `${late}; sending the error reply`);
        await this.send(channel, errorReply(this.config.error_reply), context, window);
      } else {
        this.logger.warn({ session: context.sessionId, type: context.type }, `${late}; a reply already went out, so no error reply, and nothing more`);
        await outbound.settled();
      }
    }
  }

  private async process(channel: Channel, context: Context, outbound: Outbound): Promise<void> {
    const deliver = (reply: Reply) => this.deliver(channel, context, reply, outbound);
    const event: HookEvent = { context, host: this.host, channel, send: deliver };
    if ((await this.plugins.run('onReceiveMessage', event)) === Action.BREAK_PASS) return;

    const handled = await this.plugins.run('onHandleContext', event);
    if (handled !== Action.BREAK_PASS && !event.reply) event.reply = await this.askBot(event, outbound);
    if (!event.reply) return;

    if ((await this.plugins.run('onDecorateReply', event)) === Action.BREAK_PASS || !event.reply) return;
    await deliver(event.reply);
  }

  /** The send stage, for the main reply and for any extra one a plugin sends: onSendReply, then the window or the channel. */
  private async deliver(channel: Channel, context: Context, reply: Reply, outbound: Outbound): Promise<void> {
    const event: HookEvent = { context, reply, host: this.host, channel, send: (next) => this.deliver(channel, context, next, outbound) };
    if ((await this.plugins.run('onSendReply', event)) === Action.BREAK_PASS || !event.reply) return;
    const final = event.reply;
    // Past the deadline the user already got the error reply: a late answer would be a second one.
    if (!(await outbound.send(() => this.send(channel, final, context, outbound.window)))) {
      this.logger.warn({ session: context.sessionId, reply: final.type }, 'a reply finished after the timeout; dropped');
    }
  }

  /**
   * The bot, within a bot slot and the message's time. Waiting for a slot may use that time up
   * (a burst on max_concurrent_bot_calls): then the bot is not called, as it could not finish.
   */
  private async askBot(event: HookEvent, outbound: Outbound): Promise<Reply | undefined> {
    const { context } = event;
    // A window that shows the answer as it grows gets the bot's text so far, through the plugins.
    const window = outbound.window;
    const onText = window?.canStream ? streamThroughPlugins(this.plugins, event, window) : undefined;
    try {
      return await this.botLimit(async () => {
        if (outbound.abandoned) return undefined; // the user already has the error reply
        const msLeft = this.msLeft(context);
        if (msLeft < this.minBotMs()) {
          this.logger.warn({ session: context.sessionId, msLeft }, 'no time left to ask the bot after waiting for a slot (max_concurrent_bot_calls); sending the error reply');
          return errorReply(this.config.error_reply);
        }
        return withinTime(this.bridge.fetchReply(context, onText), msLeft, 'the bot did not answer in time');
      });
    } catch (error) {
      this.logger.error({ err: error, session: context.sessionId, type: context.type }, 'bot failed; sending the error reply');
      return errorReply(this.config.error_reply);
    }
  }

  /** Less time than this left is not worth a bot call: a tenth of reply_timeout_seconds, at most 1 s. */
  private minBotMs(): number {
    return Math.min(1000, this.config.reply_timeout_seconds * 100);
  }

  private msLeft(context: Context): number {
    return Math.max(0, (ctxGet(context, REPLY_DEADLINE) ?? Date.now()) - Date.now());
  }

  /** Into the message's reply window when it takes the reply; else actively, through the channel. */
  private async send(channel: Channel, reply: Reply, context: Context, window: ReplyWindow<unknown> | undefined): Promise<void> {
    try {
      if (window?.offer(reply)) {
        this.logger.info({ session: context.sessionId, reply: reply.type }, 'reply given inside the request (reply window)');
        return;
      }
      // A channel that keeps an outbox put the message's record on the Context: the reply is
      // recorded before it leaves, so a crash mid-send is resumed after the restart.
      const durable = ctxGet(context, OUTBOX_MESSAGE);
      const sent = durable ? await durable.send(reply, () => channel.send(reply, context)) : await channel.send(reply, context).then(() => true);
      if (!sent) return; // another instance took the message over: its reply goes out there
      this.logger.info({ session: context.sessionId, reply: reply.type }, 'reply sent');
    } catch (error) {
      this.logger.error({ err: error, session: context.sessionId, reply: reply.type }, 'sending the reply failed');
    }
  }
}
