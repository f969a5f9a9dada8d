import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenOn, ReplyWindow, type Channel, type Context, type DurableMessage, type Logger, type MessageHandler, type Operations, type Outbox, type PacingStore, type PushTarget, type Reply, type SecretRegistry, type SeenStore, type VoiceOutputSpec } from '@wecom-bot/core';
import { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { WecomApiClient, type WecomApiClientOptions } from './api/client.js';
import type { MediaType } from './api/messages.js';
import type { WechatcomAppConfig } from './config.js';
import { ReceivedMessages, dedupeKey } from './dedupe.js';
import { FirstCallback, type FirstAnswer } from './first-callback.js';
import { fetchImage } from './send/fetch-image.js';
import { MemberPacer, type PacerOptions } from './send/rate-limit.js';
import { errorText, newsBatches, passiveFormOf, textParts, writtenAs } from './send/reply-to-messages.js';
import { createCallbackServer } from './http-server.js';
import { PassiveBudget } from './passive-budget.js';
import { createCallbackListener } from './server.js';
import { messageOf, type WecomInboundMessage } from './xml/parse-message.js';
import { XmlInputError } from './xml/errors.js';
import type { XmlNode } from './xml/parse-xml.js';
import { renderPassiveReply } from './xml/render-passive-reply.js';
import { CHANNEL_NAME, toContext } from './inbound/to-context.js';

export interface WechatcomAppChannelDeps {
  logger: Logger;
  /** Where access tokens learned at run time are registered, so logs never show them. */
  secrets?: SecretRegistry;
  /** Seen messages and their answers (disk or Redis in production): a retry after a restart is not answered twice. */
  seen: SeenStore;
  /** Accepted messages and unconfirmed replies, resumed after a crash (WeCom does not retry a callback we acked). */
  outbox?: Outbox;
  /** Sends counted per member, shared by every instance (store "redis") so together they keep WeCom's limits. */
  pacing?: PacingStore;
  /** Health, readiness and metrics, served on the callback server. */
  ops?: Operations;
}

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface WechatcomAppChannelOptions {
  api?: Pick<WecomApiClientOptions, 'maxRetries' | 'retryBaseDelayMs' | 'requestTimeoutMs' | 'tokenRefreshMarginMs'>;
  pacer?: PacerOptions;
  /** How long a message is remembered (default 10 min). */
  rememberMs?: number;
}

/**
 * The WeCom self-built app channel: a callback server that decrypts and acknowledges each
 * message at once, hands it to the pipeline exactly once, and answers either inside the
 * callback (a reply ready within `wechatcomapp_passive_reply_ms`) or through message/send.
 */
export class WechatcomAppChannel implements Channel {
  readonly name = CHANNEL_NAME;
  readonly canMention = false;
  readonly voiceOutput: VoiceOutputSpec = { format: 'amr', maxSeconds: 60, maxBytes: 2 * 1024 * 1024 };
  readonly api: WecomApiClient;
  private readonly logger: Logger;
  private readonly received: ReceivedMessages;
  private readonly pacer: MemberPacer;
  private readonly outbox: Outbox | undefined;
  private readonly ops: Operations | undefined;
  private readonly passiveBudget = new PassiveBudget();
  private server: Server | undefined;
  private handler: MessageHandler | undefined;

  constructor(
    private readonly config: WechatcomAppConfig,
    deps: WechatcomAppChannelDeps,
    options: WechatcomAppChannelOptions = {},
  ) {
    this.logger = deps.logger;
    this.api = new WecomApiClient({
      baseUrl: config.wechatcomapp_api_base,
      corpId: config.wechatcom_corp_id,
      secret: config.wechatcomapp_secret,
      agentId: config.wechatcomapp_agent_id,
      logger: deps.logger,
      secrets: deps.secrets,
      ...options.api,
    });
    this.received = new ReceivedMessages(deps.seen, options.rememberMs);
    this.outbox = deps.outbox;
    this.ops = deps.ops;
    this.pacer = new MemberPacer({
      store: deps.pacing,
      keyPrefix: `${CHANNEL_NAME}:pace:${config.wechatcom_corp_id}:${config.wechatcomapp_agent_id}:`,
      onStoreError: (error) => deps.logger.warn({ err: error }, 'pacing store failed; this send is paced by this process alone'),
      ...options.pacer,
    });
  }

  async start(handler: MessageHandler): Promise<void> {
    if (this.server) throw new Error('the wechatcom_app channel is already started');
    this.handler = handler;
    const c = this.config;
    const crypt = new WXBizMsgCrypt(c.wechatcomapp_token, c.wechatcomapp_aes_key, c.wechatcom_corp_id);
    const listener = createCallbackListener({
      path: c.wechatcomapp_path,
      crypt,
      maxBodyBytes: c.wechatcomapp_max_body_bytes,
      logger: this.logger,
      trustProxy: c.trust_proxy,
      onMessage: (message) => this.receive(message),
      ops: this.ops,
    });
    const server = createCallbackServer(listener, { requestTimeoutMs: c.wechatcomapp_request_timeout_ms, logger: this.logger });
    await listenOn(server, { port: c.wechatcomapp_port, host: c.wechatcomapp_host, portKey: 'wechatcomapp_port', what: 'the callback server' });
    this.server = server;
    this.ops?.readiness.state('channel', true, `listening on ${c.wechatcomapp_host}:${this.port}`);
    this.logger.info(
      { port: this.port, path: c.wechatcomapp_path },
      `WeCom callback ready: set the app's API receive URL to http://<this server's public address>:${this.port}${c.wechatcomapp_path}`,
    );
    // What a crashed process (this one before a restart, or another instance) left unfinished.
    void this.outbox?.start({
      rebuild: (recorded) => {
        const message = readRecorded(recorded);
        return message && this.contextOf(message);
      },
      handle: (context) => this.dispatch(context),
      push: (target, reply) => this.push(target, reply),
    });
  }

  /** The port actually bound (useful with wechatcomapp_port 0). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.ops?.readiness.state('channel', false, 'stopped');
    this.outbox?.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Requests still in flight get a moment; then their connections are cut.
    const timer = setTimeout(() => server.closeAllConnections(), 2000);
    await closed;
    clearTimeout(timer);
  }

  /** Active delivery (message/send); a reply the callback answer could carry went there already. */
  async send(reply: Reply, context: Context): Promise<void> {
    await this.sendActive(reply, context.receiver);
  }

  /** Proactive: message/send to a member (a self-built app has no group chats). */
  async push(target: PushTarget, reply: Reply): Promise<void> {
    if (target.isGroup) throw new Error('a self-built app cannot send to a group chat: use the AI bot (channel_type wecom_bot) for groups');
    await this.sendActive(reply, target.receiver);
  }

  /** One decrypted callback message: record, dedupe, hand to the pipeline, maybe answer it passively. */
  private receive(message: WecomInboundMessage): Promise<string | undefined> {
    const key = dedupeKey(message);
    const attempt = new FirstCallback(key, message, this.contextOf(message), this.outbox, this.answerFirst);
    return this.received.receive(key, attempt, (answered) => this.repeated(message, answered));
  }

  /**
   * WeCom retries only when our answer did not reach it: a passive reply given (or still being
   * prepared) for the first attempt has gone out again (`answered`), or it would be lost.
   */
  private repeated(message: WecomInboundMessage, answered: boolean): void {
    this.ops?.metrics.callback(CHANNEL_NAME, 'repeated');
    this.logger.info({ from: message.fromUserName, msgId: message.msgId }, `repeated delivery of a message already received; ${answered ? 'answered as the first time' : 'acknowledged only'}`);
  }

  /** The callback answer to a message received for the first time: undefined when it is acknowledged only. */
  private readonly answerFirst: FirstAnswer = async (message, context, durable) => {
    if (!context) {
      this.ops?.metrics.callback(CHANNEL_NAME, 'acked');
      this.logger.warn({ from: message.fromUserName, msgType: message.msgType }, 'message type not supported; acknowledged and ignored');
      return undefined;
    }
    // Debug only: the reply's own line (id, latency, outcome) is the one line per message at info.
    this.logger.debug({ from: message.fromUserName, type: context.type, msgId: message.msgId, event: message.event }, 'message received');
    this.ops?.metrics.callback(CHANNEL_NAME, 'answered');
    const windowMs = this.passiveBudget.windowFor(this.config.wechatcomapp_passive_reply_ms);
    if (windowMs === 0) {
      void this.run(context, durable);
      return undefined;
    }
    return this.passiveBudget.hold(() => this.passiveAnswer(message, windowMs, (window) => this.run(context, durable, window)));
  };

  /** Hands the message to the pipeline, through its outbox record when it has one. */
  private run(context: Context, durable: DurableMessage | undefined, window?: ReplyWindow<unknown>): Promise<void> {
    return durable ? durable.handle(context, (c) => this.dispatch(c, window)) : this.dispatch(context, window);
  }

  private contextOf(message: WecomInboundMessage): Context | undefined {
    return toContext(message, async (mediaId) => (await this.api.getMedia(mediaId)).data);
  }

  /**
   * Dispatches the message with a reply window the callback answer can carry (one passive
   * message), and waits up to `windowMs` for it; replies after that go through message/send.
   */
  private async passiveAnswer(message: WecomInboundMessage, windowMs: number, run: (window: ReplyWindow<unknown>) => Promise<void>): Promise<string | undefined> {
    // The format is read when the reply comes, so #reload applies to the next reply.
    const config = this.config;
    const window = new ReplyWindow({
      fit(reply) {
        return passiveFormOf(reply, config.wechatcomapp_reply_format);
      },
      capacity: 1,
    });
    const [reply] = await window.closeWhenAnswered(run(window), windowMs);
    if (!reply) return undefined;
    return renderPassiveReply(reply, { toUser: message.fromUserName, fromUser: message.toUserName || this.config.wechatcom_corp_id });
  }

  private dispatch(context: Context, window?: ReplyWindow<unknown>): Promise<void> {
    const handler = this.handler;
    if (!handler) return Promise.resolve();
    // The pipeline's handler never rejects; a custom one might, and must not break the callback.
    return handler(context, window).catch((error: unknown) => this.logger.error({ err: error, from: context.senderId }, 'message handler failed'));
  }

  private async sendActive(reply: Reply, to: string): Promise<void> {
    const paced = <T>(task: () => Promise<T>) => this.pacer.run(to, task);
    switch (reply.type) {
      case 'TEXT':
      case 'MARKDOWN': {
        const written = writtenAs(reply.content, this.config.wechatcomapp_reply_format);
        const sendPart = written.msgType === 'markdown' ? (part: string) => this.api.sendMarkdown(to, part) : (part: string) => this.api.sendText(to, part);
        await this.pacer.runAll(to, textParts(written.content), sendPart);
        return;
      }
      case 'INFO':
        await this.pacer.runAll(to, textParts(reply.content), (part) => this.api.sendText(to, part));
        return;
      case 'ERROR':
        await paced(() => this.api.sendText(to, errorText(reply.content)));
        return;
      case 'IMAGE_URL': {
        const image = await fetchImage(reply.content).catch((error: unknown) => {
          this.logger.warn({ err: error, to }, 'could not download the reply image; sending its link instead');
          return undefined;
        });
        if (image) await this.sendUploaded(to, 'image', image);
        else await paced(() => this.api.sendText(to, reply.content));
        return;
      }
      case 'IMAGE':
        await this.sendUploaded(to, 'image', reply.content);
        return;
      case 'VOICE':
        // The voice plugin has already transcoded to AMR within voiceOutput; it is uploaded as given.
        await this.sendUploaded(to, 'voice', reply.content);
        return;
      case 'FILE':
        await this.sendUploaded(to, 'file', reply.content);
        return;
      case 'VIDEO': {
        const mediaId = await this.api.uploadMedia('video', reply.content);
        await paced(() => this.api.sendVideo(to, mediaId, reply.content.filename));
        return;
      }
      case 'NEWS':
        await this.pacer.runAll(to, newsBatches(reply.content), (batch) => this.api.sendNews(to, batch));
        return;
    }
  }

  private async sendUploaded(to: string, type: Exclude<MediaType, 'video'>, media: { data: Buffer; filename: string; mimeType?: string }): Promise<void> {
    const mediaId = await this.api.uploadMedia(type, media);
    await this.pacer.run(to, () => this.api.sendMedia(to, type, mediaId));
  }
}

/**
 * A message the outbox gives back: its XML fields (or, recorded by an earlier version, the
 * whole WecomInboundMessage, fields included); undefined when it is neither.
 */
function readRecorded(value: unknown): WecomInboundMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const whole = value as { fromUserName?: unknown; fields?: unknown };
  const fields = typeof whole.fromUserName === 'string' && typeof whole.fields === 'object' && whole.fields !== null ? whole.fields : value;
  try {
    return messageOf(fields as XmlNode);
  } catch (error) {
    if (error instanceof XmlInputError) return undefined; // no FromUserName or MsgType: not a message
    throw error;
  }
}
