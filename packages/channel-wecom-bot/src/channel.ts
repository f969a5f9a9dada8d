import {
  ExpiringMap, ReplyWindow,
  type CallbackResult, type Channel, type Context, type DurableMessage, type Logger, type MessageHandler, type Operations, type OpsServer, type Outbox, type PushTarget, type Reply, type SeenStore,
} from '@wecom-bot/core';
import { downloadMedia } from './webhook/media.js';
import { mediaFileKey } from '@wecom-bot/wx-crypto';
import { CHANNEL_NAME, type WecomBotConfig } from './config.js';
import { AibotMessageError, parseAibotMessage, type AibotMessage } from './inbound/message.js';
import { toContext } from './inbound/to-context.js';
import { describeMedia, replyMarkdown } from './reply-markdown.js';
import { pushTargetOf, routeOf } from './reply-route.js';
import { StreamReply, type StreamFrame } from './stream/stream-reply.js';
import type { AibotTransport, CallbackResponder } from './transport.js';
import { WebhookTransport } from './webhook-transport.js';

export interface WecomBotChannelDeps {
  logger: Logger;
  /** Message ids seen by this process before a restart, or by another instance (disk, Redis). */
  seen?: SeenStore;
  /** Metrics and readiness; the ops server in websocket mode. */
  ops?: Operations;
  /** Accepted messages and unconfirmed answers, resumed after a crash (see `resume`). */
  outbox?: Outbox;
}

/** Said in a bubble when the message got no text answer (a plugin dropped it, or a media reply went separately). */
const NO_TEXT_ANSWER = '（没有文字回复。）';
const SENT_SEPARATELY = '（回复已单独发送。）';
/** Bounds the wait for a handling that never settles; the pipeline's reply_timeout_seconds ends it first. */
const HANDLING_BOUND_MS = 24 * 3_600_000;

/**
 * The WeCom AI bot (智能机器人): every message answered in its own bubble, growing as the
 * bot writes (a stream), through either transport. Each message is handled once (msgid,
 * across reconnects and webhook retries); an answer the stream cannot carry (past ~5.5
 * minutes, a refused frame, a dropped socket) is sent separately, exactly once.
 */
export class WecomBotChannel implements Channel {
  readonly name = CHANNEL_NAME;
  readonly canMention = false;
  /** Message id → what answers a repeated delivery (its stream, or a webhook event's answer), for WeCom's retries and webhook polls. */
  private readonly received = new ExpiringMap<{ current(): object | undefined } | undefined>({ ttlMs: 10 * 60_000, maxEntries: 50_000 });
  private readonly streams = new ExpiringMap<StreamReply>({ ttlMs: 7 * 60_000, maxEntries: 50_000 });
  /** Messages that got a reply outside their bubble, so the bubble says so. */
  private readonly answeredSeparately = new WeakSet<Context>();
  private handler: MessageHandler | undefined;
  /** Answers still being written into their bubble. */
  private openStreams = 0;
  /** The long connection has no server of its own: this one answers the ops paths. */
  private opsServer: OpsServer | undefined;
  private readonly logger: Logger;
  private readonly seen: SeenStore | undefined;
  private readonly ops: Operations | undefined;
  private readonly outbox: Outbox | undefined;

  constructor(
    private readonly config: WecomBotConfig,
    private readonly transport: AibotTransport,
    deps: WecomBotChannelDeps,
  ) {
    ({ logger: this.logger, seen: this.seen, ops: this.ops, outbox: this.outbox } = deps);
    this.ops?.metrics.readOpenStreamsFrom(() => this.openStreams);
  }

  async start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    // Set first: while the connection is being made, /readyz says so.
    this.ops?.readiness.set('channel', () => this.transport.readiness());
    await this.startOpsServer();
    try {
      await this.transport.start(
        (body, responder) => this.receive(body, responder),
        (id) => this.streams.get(id)?.current(),
        (active) => (active ? this.resume() : this.outbox?.stop()),
      );
    } catch (error) {
      // Nothing left to probe: the app stops on this error, and an open server would hold it.
      await this.opsServer?.close();
      this.opsServer = undefined;
      throw error;
    }
    this.logger.info({ mode: this.config.wecom_bot_mode }, 'AI bot channel ready');
  }

  async stop(): Promise<void> {
    this.ops?.readiness.state('channel', false, 'stopped');
    this.outbox?.stop();
    await this.transport.stop();
    await this.opsServer?.close();
    this.opsServer = undefined;
  }

  /** Websocket mode: the ops server's port, once started (wecom_bot_ops_port 0 picks one). */
  get opsPort(): number | undefined {
    return this.opsServer?.port;
  }

  private async startOpsServer(): Promise<void> {
    const port = this.config.wecom_bot_ops_port;
    if (!this.ops || this.config.wecom_bot_mode !== 'websocket' || port < 0) return;
    this.opsServer = await this.ops.listen({ port, host: this.config.wecom_bot_host, portKey: 'wecom_bot_ops_port' });
    this.logger.info({ port: this.opsServer.port }, `ops server listening on ${this.config.wecom_bot_host}:${this.opsServer.port}: GET /healthz, /readyz, /metrics`);
  }

  /** Webhook mode: the port the callback server listens on, once started (wecom_bot_port 0 picks one). */
  get port(): number | undefined {
    return this.transport instanceof WebhookTransport ? this.transport.port : undefined;
  }

  /**
   * Proactive: aibot_send_msg to a member's user id or a group's chat id (a scheduled report,
   * a resumed answer). Webhook mode: only to the response_url of a message the outbox kept.
   */
  async push(target: PushTarget, reply: Reply): Promise<void> {
    await this.transport.sendMarkdown(routeOf(target), replyMarkdown(reply) ?? describeMedia(reply));
  }

  /** Active: a reply outside the message's bubble (a media reply, an extra reply of a plugin, a resumed answer). */
  async send(reply: Reply, context: Context): Promise<void> {
    this.answeredSeparately.add(context);
    await this.transport.sendMarkdown(routeOf(pushTargetOf(context.raw as AibotMessage)), replyMarkdown(reply) ?? describeMedia(reply));
  }

  /**
   * Takes up what a crashed process left (called once the transport can send: with several
   * instances, only the one holding the connection lease). A stream cannot be continued after
   * a restart — its req_id belonged to the old socket, a webhook stream is polled for at most
   * 6 minutes and this process no longer knows it — so a resumed message is handled without a
   * window and answered outside the bubble: aibot_send_msg, or the message's response_url in
   * webhook mode (once, within an hour). An answer recorded but never confirmed goes the same way.
   */
  private resume(): void {
    void this.outbox?.start({
      rebuild: (message) => this.contextOf(message),
      handle: (context) => this.dispatch(context),
      push: (target, reply) => this.push(target, reply),
    });
  }

  private contextOf(stored: unknown): Context | undefined {
    let message: AibotMessage;
    try {
      message = parseAibotMessage(stored);
    } catch {
      return undefined;
    }
    return toContext(message, { botName: this.config.wecom_bot_name, loadMedia: (url, aeskey) => this.loadMedia(url, aeskey) });
  }

  /** The pipeline's handler, without a window: every reply goes through `send`. */
  private async dispatch(context: Context): Promise<void> {
    await this.handler?.(context).catch((error: unknown) => this.logger.error({ err: error, msgid: context.messageId }, 'message handler failed'));
  }

  /** One callback: the stream's first frame is what a webhook request is answered with. */
  private async receive(body: unknown, responder: CallbackResponder): Promise<StreamFrame | object | undefined> {
    let message: AibotMessage;
    try {
      message = parseAibotMessage(body);
    } catch (error) {
      if (!(error instanceof AibotMessageError)) throw error;
      this.logger.warn({ reason: error.message }, 'AI-bot callback not understood; ignored');
      this.counted('refused');
      return undefined;
    }
    if (this.received.has(message.msgid)) {
      this.logger.info({ msgid: message.msgid }, 'repeated delivery of a message already received; not handled again');
      this.counted('repeated');
      return this.received.get(message.msgid)?.current();
    }
    this.received.set(message.msgid, undefined);
    const context = message.msgtype === 'event' ? undefined : toContext(message, { botName: this.config.wecom_bot_name, loadMedia: (url, aeskey) => this.loadMedia(url, aeskey) });
    // Recorded before it is marked seen and before its first frame acknowledges it: after a
    // crash only this record brings its answer (WeCom does not deliver an acknowledged message
    // again), and a seen mark without it would turn a redelivery away unanswered.
    const durable = context ? await this.outbox?.accept(message.msgid, message, pushTargetOf(message)) : undefined;
    if (context && this.outbox && !durable) {
      this.logger.info({ msgid: message.msgid }, 'message already in the outbox (being answered, or resumed after a restart); not handled again');
      this.counted('repeated');
      return undefined;
    }
    if (this.seen && !(await this.seen.remember(`aibot:${message.msgid}`, 10 * 60_000).then((r) => r.first, () => true))) {
      // Handled before a restart, or by another instance: acknowledged only. (A store error
      // counts as first: answering twice is better than never.)
      await durable?.close(); // the record just made is not needed
      this.logger.info({ msgid: message.msgid }, 'message already handled before a restart or by another instance; not handled again');
      this.counted('repeated');
      return undefined;
    }
    if (message.msgtype === 'event') {
      this.counted('acked');
      const answer = await this.onEvent(message, responder);
      // Webhook: a retry means WeCom did not get our answer (the welcome); it gets the same one again.
      if (answer !== undefined) this.received.set(message.msgid, { current: () => answer });
      return answer;
    }
    if (!context) {
      this.logger.warn({ msgid: message.msgid, msgtype: message.msgtype }, 'AI-bot message type not supported; ignored');
      this.counted('acked');
      return undefined;
    }
    this.logger.info({ msgid: message.msgid, from: context.senderId, group: context.groupId, type: context.type }, 'message received');
    const stream = new StreamReply(
      { push: responder.push, sendSeparately: (markdown) => this.transport.sendMarkdown(routeOf(pushTargetOf(message)), markdown) },
      {
        placeholder: this.config.wecom_bot_thinking,
        intervalMs: this.config.wecom_bot_stream_interval_ms,
        handOverAt: Date.now() + this.config.wecom_bot_stream_seconds * 1000,
        onError: (error, what) => {
          this.logger.warn({ err: error, msgid: message.msgid }, what);
          this.ops?.sendFailed(CHANNEL_NAME, error);
        },
      },
    );
    this.counted('answered');
    this.openStreams += 1;
    this.received.set(message.msgid, stream);
    this.streams.set(stream.id, stream);
    const first = stream.begin();
    // The next tick: in a burst every placeholder goes out before any pipeline starts working.
    setImmediate(() => void this.answer(context, stream, responder.push !== undefined, durable));
    return first;
  }

  /** Hands the message to the pipeline with a window whose one text reply closes the bubble. */
  private async answer(context: Context, stream: StreamReply, pushed: boolean, durable: DurableMessage | undefined): Promise<void> {
    const window = new ReplyWindow({ fit: replyMarkdown, capacity: 1, onText: (soFar) => stream.update(soFar) });
    const run = async (c: Context) => {
      const handling = this.handler ? this.handler(c, window) : Promise.resolve();
      const guarded = handling.catch((error: unknown) => this.logger.error({ err: error, msgid: c.messageId }, 'message handler failed'));
      const [reply] = await window.closeWhenAnswered(guarded, HANDLING_BOUND_MS);
      // An empty or blank final frame would wipe the text shown so far, or leave the bubble blank.
      await this.close(stream, c, reply !== undefined && reply.trim() !== '' ? reply : undefined, durable, pushed);
    };
    // Inside the record's handling: the answer is recorded before the bubble closes with it.
    await (durable ? durable.handle(context, run) : run(context));
    // Pushed frames are never asked for again: a finished answer need not stay in memory.
    // (A webhook keeps it: WeCom polls it and retries the message for minutes.)
    if (pushed && context.messageId) {
      this.streams.delete(stream.id);
      this.received.set(context.messageId, undefined);
    }
  }

  /** Closes the bubble with the answer, recorded first (a crash meanwhile sends it once more, outside the bubble). */
  private async close(stream: StreamReply, context: Context, text: string | undefined, durable: DurableMessage | undefined, pushed: boolean): Promise<void> {
    const finish = async (final: string) => {
      try {
        await stream.finish(final);
      } finally {
        this.openStreams -= 1;
      }
    };
    try {
      if (text === undefined) return await finish(this.answeredSeparately.has(context) ? SENT_SEPARATELY : NO_TEXT_ANSWER);
      if (!durable) return await finish(text);
      // Webhook: sent once WeCom's poll took it (a crash before that sends it to response_url).
      const show = async () => {
        await finish(text);
        if (!pushed && !(await stream.whenFetched())) this.logger.warn({ msgid: context.messageId }, 'WeCom never polled the finished answer');
      };
      // False: another instance took the message over (this one stalled) and answers it.
      if (!(await durable.send({ type: 'MARKDOWN', content: text }, show))) return await finish(SENT_SEPARATELY);
      this.logger.debug({ msgid: context.messageId }, 'answer delivered and marked sent in the outbox');
    } catch (error) {
      // Only the separate delivery can throw here (both ways failed): say so, with the message id.
      this.logger.error({ err: error, msgid: context.messageId }, 'the answer could not be delivered');
      this.ops?.sendFailed(CHANNEL_NAME, error);
    }
  }

  private counted(result: CallbackResult): void {
    this.ops?.metrics.callback(CHANNEL_NAME, result);
  }

  private async onEvent(message: AibotMessage, responder: CallbackResponder): Promise<object | undefined> {
    const type = message.event?.eventtype ?? '';
    this.logger.info({ msgid: message.msgid, event: type, from: message.from?.userid }, 'AI-bot event');
    if (type === 'enter_chat' && this.config.wecom_bot_welcome !== '') return responder.welcome(this.config.wecom_bot_welcome);
    return undefined;
  }

  private async loadMedia(url: string, aeskey: string | undefined): Promise<Buffer> {
    const key = mediaFileKey(aeskey, this.config.wecom_bot_aes_key);
    return (await downloadMedia(url, key, { maxBytes: 20 * 1024 * 1024 })).data;
  }
}
