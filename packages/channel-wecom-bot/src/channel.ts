import { ExpiringMap, ReplyWindow, type Channel, type Context, type Logger, type MessageHandler, type PushTarget, type Reply, type SeenStore } from '@wecom-bot/core';
import { downloadMedia } from './webhook/media.js';
import { mediaFileKey } from '@wecom-bot/wx-crypto';
import { CHANNEL_NAME, type WecomBotConfig } from './config.js';
import { AibotMessageError, parseAibotMessage, type AibotMessage } from './inbound/message.js';
import { toContext } from './inbound/to-context.js';
import { describeMedia, replyMarkdown } from './reply-markdown.js';
import { StreamReply, type StreamFrame } from './stream/stream-reply.js';
import type { AibotTransport, CallbackResponder } from './transport.js';
import { WebhookTransport } from './webhook-transport.js';

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

  constructor(
    private readonly config: WecomBotConfig,
    private readonly transport: AibotTransport,
    private readonly logger: Logger,
    /** Message ids seen by this process before a restart, or by another instance (disk, Redis). */
    private readonly seen?: SeenStore,
  ) {}

  async start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    await this.transport.start(
      (body, responder) => this.receive(body, responder),
      (id) => this.streams.get(id)?.current(),
    );
    this.logger.info({ mode: this.config.wecom_bot_mode }, 'AI bot channel ready');
  }

  async stop(): Promise<void> {
    await this.transport.stop();
  }

  /** Webhook mode: the port the callback server listens on, once started (wecom_bot_port 0 picks one). */
  get port(): number | undefined {
    return this.transport instanceof WebhookTransport ? this.transport.port : undefined;
  }

  /** Proactive (a scheduled report): aibot_send_msg to a member's user id or a group's chat id. */
  async push(target: PushTarget, reply: Reply): Promise<void> {
    if (!this.transport.pushMarkdown) throw new Error('the AI bot in webhook mode cannot start a conversation: use wecom_bot_mode "websocket" to push messages');
    await this.transport.pushMarkdown(target.receiver, replyMarkdown(reply) ?? describeMedia(reply));
  }

  /** Active: a reply outside the message's bubble (a media reply, an extra reply of a plugin). */
  async send(reply: Reply, context: Context): Promise<void> {
    this.answeredSeparately.add(context);
    const message = context.raw as AibotMessage;
    await this.transport.sendMarkdown(message, replyMarkdown(reply) ?? describeMedia(reply));
  }

  /** One callback: the stream's first frame is what a webhook request is answered with. */
  private async receive(body: unknown, responder: CallbackResponder): Promise<StreamFrame | object | undefined> {
    let message: AibotMessage;
    try {
      message = parseAibotMessage(body);
    } catch (error) {
      if (!(error instanceof AibotMessageError)) throw error;
      this.logger.warn({ reason: error.message }, 'AI-bot callback not understood; ignored');
      return undefined;
    }
    if (this.received.has(message.msgid)) {
      this.logger.info({ msgid: message.msgid }, 'repeated delivery of a message already received; not handled again');
      return this.received.get(message.msgid)?.current();
    }
    this.received.set(message.msgid, undefined);
    if (this.seen && !(await this.seen.remember(`aibot:${message.msgid}`, 10 * 60_000).then((r) => r.first, () => true))) {
      // Handled before a restart, or by another instance: acknowledged only. (A store error
      // counts as first: answering twice is better than never.)
      this.logger.info({ msgid: message.msgid }, 'message already handled before a restart or by another instance; not handled again');
      return undefined;
    }
    if (message.msgtype === 'event') {
      const answer = await this.onEvent(message, responder);
      // Webhook: a retry means WeCom did not get our answer (the welcome); it gets the same one again.
      if (answer !== undefined) this.received.set(message.msgid, { current: () => answer });
      return answer;
    }
    const context = toContext(message, { botName: this.config.wecom_bot_name, loadMedia: (url, aeskey) => this.loadMedia(url, aeskey) });
    if (!context) {
      this.logger.warn({ msgid: message.msgid, msgtype: message.msgtype }, 'AI-bot message type not supported; ignored');
      return undefined;
    }
    this.logger.info({ msgid: message.msgid, from: context.senderId, group: context.groupId, type: context.type }, 'message received');
    const stream = new StreamReply(
      { push: responder.push, sendSeparately: (markdown) => this.transport.sendMarkdown(message, markdown) },
      {
        placeholder: this.config.wecom_bot_thinking,
        intervalMs: this.config.wecom_bot_stream_interval_ms,
        handOverAt: Date.now() + this.config.wecom_bot_stream_seconds * 1000,
        onError: (error, what) => this.logger.warn({ err: error, msgid: message.msgid }, what),
      },
    );
    this.received.set(message.msgid, stream);
    this.streams.set(stream.id, stream);
    const first = stream.begin();
    // The next tick: in a burst every placeholder goes out before any pipeline starts working.
    setImmediate(() => void this.answer(context, stream, responder.push !== undefined));
    return first;
  }

  /** Hands the message to the pipeline with a window whose one text reply closes the bubble. */
  private async answer(context: Context, stream: StreamReply, pushed: boolean): Promise<void> {
    const window = new ReplyWindow({ fit: replyMarkdown, capacity: 1, onText: (soFar) => stream.update(soFar) });
    const handling = this.handler ? this.handler(context, window) : Promise.resolve();
    const guarded = handling.catch((error: unknown) => this.logger.error({ err: error, msgid: context.messageId }, 'message handler failed'));
    const [reply] = await window.closeWhenAnswered(guarded, HANDLING_BOUND_MS);
    // An empty or blank final frame would wipe the text shown so far, or leave the bubble blank.
    const text = reply !== undefined && reply.trim() !== '' ? reply : undefined;
    try {
      await stream.finish(text ?? (this.answeredSeparately.has(context) ? SENT_SEPARATELY : NO_TEXT_ANSWER));
    } catch (error) {
      // Only the separate delivery can throw here (both ways failed): say so, with the message id.
      this.logger.error({ err: error, msgid: context.messageId }, 'the answer could not be delivered');
    }
    // Pushed frames are never asked for again: a finished answer need not stay in memory.
    // (A webhook keeps it: WeCom polls it and retries the message for minutes.)
    if (pushed && context.messageId) {
      this.streams.delete(stream.id);
      this.received.set(context.messageId, undefined);
    }
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
