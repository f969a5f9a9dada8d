import { setTimeout as delay } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Bridge } from './bridge.js';
import { coreConfigSection, type CoreConfig } from './config/core-section.js';
import type { AppConfig } from './config/section.js';
import type { Channel } from './contracts.js';
import { contextKey, ctxGet, ctxSet, type Context } from './context.js';
import { KeyedSerialQueue } from './keyed-queue.js';
import { LoadGate } from './load-gate.js';
import type { Logger } from './logger.js';
import type { ReplyOutcome } from './ops/metrics.js';
import type { Operations } from './ops/operations.js';
import { OUTBOX_MESSAGE } from './outbox-message.js';
import { Action, type HookEvent, type PluginHost } from './plugin.js';
import type { PluginManager } from './plugin-manager.js';
import { errorReply, ReplyType, type Reply } from './reply.js';
import type { ReplyWindow } from './reply-window.js';
import { resolveSessionId } from './session-id.js';
import { streamThroughPlugins } from './stream-text.js';
import { TimeLimitError, withinTime } from './time-limit.js';

/** Conversations that start at once however busy the process is. */
const LOAD_GATE_FLOOR = 16;
/** Event-loop lag past which further conversations wait to start (acks must stay well inside 5 s). */
const LOAD_GATE_MAX_LAG_MS = 50;

/**
 * When the pipeline gives up on a message (ms since epoch; set as handling starts): a bot
 * that stops a little earlier answers with its own message and keeps a late answer out of
 * its history.
 */
export const REPLY_DEADLINE = contextKey<number>('reply deadline');

/** When the pipeline got the message (ms since epoch): each reply's latency counts from it. */
const RECEIVED_AT = contextKey<number>('received at');

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
  private readonly loadGate: LoadGate;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly config: CoreConfig;
  private readonly host: PluginHost;
  /** Messages given the error reply by the pipeline, whose cause is in the recent errors already. */
  private readonly explained = new WeakSet<Context>();

  constructor(
    config: AppConfig,
    private readonly plugins: PluginManager,
    private readonly bridge: Bridge,
    private readonly channel: Channel,
    private readonly logger: Logger,
    private readonly ops: Operations,
  ) {
    this.config = coreConfigSection.read(config);
    this.host = plugins.host;
    // Read once: the limiter cannot be resized; a changed limit takes a restart.
    this.botLimit = pLimit(this.config.max_concurrent_bot_calls);
    // Conversations start only while the event loop keeps up: a burst's answers come later,
    // but the loop stays free to acknowledge every callback inside the platform's window.
    this.loadGate = new LoadGate({ floor: LOAD_GATE_FLOOR, maxLagMs: LOAD_GATE_MAX_LAG_MS });
    ops.metrics.readQueueDepthFrom(() => this.pending);
  }

  /**
   * The channel's MessageHandler: resolves when this message is fully handled. Never rejects.
   * Replies go into `window` while it is open (and they fit), otherwise through `channel.send`.
   */
  readonly handle = (context: Context, window?: ReplyWindow<unknown>): Promise<void> => {
    if (!context.sessionId) context.sessionId = resolveSessionId(context, this.config.group_chat_in_one_session);
    if (ctxGet(context, RECEIVED_AT) === undefined) ctxSet(context, RECEIVED_AT, Date.now());
    const done = this.queue.run(context.sessionId, () => this.loadGate.admit(() => this.processWithDeadline(context, window))).catch((error: unknown) => {
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

  /** Messages in the pipeline: received, not yet fully handled (the queue depth). */
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
        this.logger.error({ msgId: context.messageId, session: context.sessionId, type: context.type }, `${late}; sending the error reply`);
        await this.send(channel, this.errorReplyFor(late, context), context, window);
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
      this.replied(channel, context, final, 'dropped', { why: 'it finished after reply_timeout_seconds' });
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
          this.logger.warn({ msgId: context.messageId, session: context.sessionId, msLeft }, 'no time left to ask the bot after waiting for a slot (max_concurrent_bot_calls); sending the error reply');
          return this.errorReplyFor('no time left for the bot after waiting for a slot (max_concurrent_bot_calls)', context);
        }
        return withinTime(this.bridge.fetchReply(context, onText), msLeft, 'the bot did not answer in time');
      });
    } catch (error) {
      this.logger.error({ err: error, msgId: context.messageId, session: context.sessionId, type: context.type }, 'bot failed; sending the error reply');
      return this.errorReplyFor(`the bot failed: ${error instanceof Error ? error.message : String(error)}`, context);
    }
  }

  /** Less time than this left is not worth a bot call: a tenth of reply_timeout_seconds, at most 1 s. */
  private minBotMs(): number {
    return Math.min(1000, this.config.reply_timeout_seconds * 100);
  }

  private msLeft(context: Context): number {
    return Math.max(0, (ctxGet(context, REPLY_DEADLINE) ?? Date.now()) - Date.now());
  }

  /** The configured error reply, with why it is due kept for `#status`. */
  private errorReplyFor(why: string, context: Context): Reply {
    this.ops.recentErrors.add(`${context.channel} ${context.sessionId}: ${why}`);
    this.explained.add(context);
    return errorReply(this.config.error_reply);
  }

  /**
   * Into the message's reply window when it takes the reply; else actively, through the
   * channel. Every reply ends in one log line and one count (see `replied`).
   */
  private async send(channel: Channel, reply: Reply, context: Context, window: ReplyWindow<unknown> | undefined): Promise<void> {
    const handedAt = Date.now();
    try {
      if (window?.offer(reply)) {
        this.replied(channel, context, reply, reply.type === ReplyType.ERROR ? 'error_reply' : 'sent', { handedAt, via: 'window' });
        return;
      }
      // A channel that keeps an outbox put the message's record on the Context: the reply is
      // recorded before it leaves, so a crash mid-send is resumed after the restart.
      const durable = ctxGet(context, OUTBOX_MESSAGE);
      const sent = durable ? await durable.send(reply, () => channel.send(reply, context)) : await channel.send(reply, context).then(() => true);
      // Not sent: another instance took the message over, and its reply goes out there.
      if (!sent) this.replied(channel, context, reply, 'dropped', { why: 'another instance took the message over' });
      else this.replied(channel, context, reply, reply.type === ReplyType.ERROR ? 'error_reply' : 'sent', { handedAt, via: 'send' });
    } catch (error) {
      this.ops.sendFailed(channel.name, error);
      this.replied(channel, context, reply, 'failed', { handedAt, via: 'send', err: error });
    }
  }

  /**
   * A reply's one log line (message id, session, sender, latency, type, outcome) and its
   * counts: error level when the channel failed to send it, info otherwise.
   */
  private replied(channel: Channel, context: Context, reply: Reply, outcome: ReplyOutcome, details: { handedAt?: number; via?: 'window' | 'send'; why?: string; err?: unknown }): void {
    const { handedAt, ...rest } = details;
    const latencyMs = (handedAt ?? Date.now()) - (ctxGet(context, RECEIVED_AT) ?? Date.now());
    // Only a reply handed to the channel has a latency worth a histogram bucket.
    this.ops.metrics.reply(channel.name, reply.type, outcome, handedAt === undefined ? undefined : latencyMs);
    // An error reply a bot or plugin made itself says in its text what went wrong.
    if (outcome === 'error_reply' && !this.explained.has(context)) this.ops.recentErrors.add(`${channel.name} ${context.sessionId}: error reply "${String(reply.content)}"`);
    const line = { msgId: context.messageId, session: context.sessionId, sender: context.senderId, reply: reply.type, outcome, latencyMs, ...rest };
    if (outcome === 'failed') this.logger.error(line, 'reply failed: the channel could not send it');
    else this.logger.info(line, outcome === 'dropped' ? 'reply dropped' : outcome === 'error_reply' ? 'error reply sent' : 'reply sent');
  }
}
