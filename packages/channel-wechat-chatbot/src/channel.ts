import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { contextKey, ctxGet, ctxSet, type Channel, type Context, type Logger, type MessageHandler, type Operations, type PendingStore, type Reply } from '@wecom-bot/core';
import { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import type { WechatChatbotConfig } from './config.js';
import { answerInTime, type SyncAnswerOptions } from './deadline.js';
import type { HttpAnswer } from './http-answer.js';
import { isUserText, kefuContext, kefuTarget, parseKefuRequest, type SendmsgTarget } from './modes/kefu.js';
import { legacyAnswer, legacyApiListenHost, legacyContext, parseLegacyRequest } from './modes/legacy-api.js';
import { parseSkillRequest, skillAnswer, skillContext, skillUser } from './modes/skill-api.js';
import { RequestError } from './http-answer.js';
import { PendingAnswers } from './pending-answers.js';
import { RepeatedRequests } from './repeated-requests.js';
import { replyToText } from './reply-text.js';
import { SendmsgClient } from './sendmsg-client.js';

export const CHANNEL_NAME = 'wechat_chatbot';

/**
 * Where a message's replies go when they are sent actively (`send`): pushed through sendmsg
 * (customer service, mode 3), or kept under the user's pending key for the next request
 * (synchronous modes, once the request's reply window has closed).
 */
type ActiveRoute = { sendmsg: SendmsgTarget } | { pendingKey: string };
const ACTIVE_ROUTE = contextKey<ActiveRoute>('wechat_chatbot.active_route');

export interface WechatChatbotChannelOptions {
  config: WechatChatbotConfig;
  logger: Logger;
  /** Where late answers wait for the user's next request (disk or Redis: kept across restarts and instances). */
  store?: PendingStore;
  /** For tests and benchmarks: pending answers with a different clock or bounds. */
  pending?: PendingAnswers;
  /** Metrics and readiness; the server answers the ops paths. */
  ops?: Operations;
}

/**
 * The dialogue platform's backend (微信对话开放平台): one server, three hand-over styles.
 * Synchronous modes answer within wechat_chatbot_reply_timeout (else the placeholder, and the
 * answer on the user's next request); customer service answers at once and pushes replies.
 */
export class WechatChatbotChannel implements Channel {
  readonly name = CHANNEL_NAME;
  readonly canMention = false;
  readonly pending: PendingAnswers;
  private readonly repeats = new RepeatedRequests();
  private readonly config: WechatChatbotConfig;
  private readonly logger: Logger;
  private readonly kefuCrypt: WXBizMsgCrypt;
  private readonly sendmsg: SendmsgClient;
  private server: Server | undefined;
  private handler: MessageHandler | undefined;
  private readonly ops: Operations | undefined;

  constructor(options: WechatChatbotChannelOptions) {
    this.config = options.config;
    this.ops = options.ops;
    this.logger = options.logger.child({ component: CHANNEL_NAME });
    this.pending =
      options.pending ??
      new PendingAnswers({
        store: options.store,
        onDrop: (key, dropped, why) => this.logger.warn({ user: key, dropped }, `dropped ${dropped} uncollected answer(s): ${why}`),
      });
    const { wechat_chatbot_token: token, wechat_chatbot_aes_key: aesKey, wechat_chatbot_appid: appid } = this.config;
    // The APPID is the receive id inside customer-service ciphertexts ("" skips that check).
    this.kefuCrypt = new WXBizMsgCrypt(token, aesKey, appid);
    this.sendmsg = new SendmsgClient({ apiBase: this.config.wechat_chatbot_api_base, token, aesKey, appid, logger: this.logger });
  }

  /** The bound address once started (port 0 in config picks a free one). */
  get address(): AddressInfo | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  async start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    const c = this.config;
    // Koa and its router load here, not with the package: a bot on another channel never loads them.
    const { createChatbotApp } = await import('./server.js');
    const app = createChatbotApp(
      {
        skillPath: c.wechat_chatbot_skill_path,
        apiPath: c.wechat_chatbot_api_path,
        kefuPath: c.wechat_chatbot_kefu_path,
        skill: (body, receivedAt) => this.onSkill(body, receivedAt),
        legacy: (query, headers, receivedAt) => this.onLegacy(query, headers, receivedAt),
        kefu: (body) => this.onKefu(body),
      },
      this.logger,
      this.ops,
    );
    const host = legacyApiListenHost(c);
    if (host !== c.wechat_chatbot_host) {
      this.logger.warn(
        `wechat_chatbot_api_key is empty, so anyone reaching the legacy API (mode 2) could chat as any user: listening on ${host} only, not ${c.wechat_chatbot_host}. Put your HTTPS proxy on this host, or set wechat_chatbot_api_key (or wechat_chatbot_api_public: true)`,
      );
    }
    const server = app.listen(c.wechat_chatbot_port, host);
    await once(server, 'listening');
    this.server = server;
    const port = this.address?.port ?? c.wechat_chatbot_port;
    this.ops?.readiness.state('channel', true, `listening on ${host}:${port}`);
    this.logger.info(
      { port },
      `dialogue platform backend listening on ${host}:${port}: skill API POST ${c.wechat_chatbot_skill_path}, legacy API GET ${c.wechat_chatbot_api_path}, customer service POST ${c.wechat_chatbot_kefu_path}`,
    );
  }

  async stop(): Promise<void> {
    this.ops?.readiness.state('channel', false, 'stopped');
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = once(server, 'close');
    server.close();
    server.closeIdleConnections();
    await closed;
  }

  /** Active delivery; a reply the HTTP response could still carry went into its reply window already. */
  async send(reply: Reply, context: Context): Promise<void> {
    const route = ctxGet(context, ACTIVE_ROUTE);
    if (!route) {
      this.logger.warn({ session: context.sessionId }, 'reply for a message this channel did not receive; dropped');
      return;
    }
    const text = replyToText(reply);
    if ('sendmsg' in route) {
      await this.sendmsg.send({ ...route.sendmsg, msg: text });
      return;
    }
    await this.pending.add(route.pendingKey, text);
    this.logger.info({ session: context.sessionId }, 'answer finished after the deadline; kept for the next request');
  }

  private timeLeft(receivedAt: number): number {
    return Math.max(0, this.config.wechat_chatbot_reply_timeout * 1000 - (Date.now() - receivedAt));
  }

  private syncOptions(receivedAt: number): SyncAnswerOptions {
    const handler = this.requireHandler();
    return {
      deadlineMs: this.timeLeft(receivedAt),
      placeholder: this.config.wechat_chatbot_placeholder,
      followupKeyword: this.config.wechat_chatbot_followup_keyword,
      pending: this.pending,
      // The pipeline's handler never rejects; a custom one might, and must not break the answer.
      handle: (context, window) => handler(context, window).catch((error: unknown) => this.logger.error({ err: error, session: context.sessionId }, 'message handler failed')),
    };
  }

  private async onSkill(body: string, receivedAt: number): Promise<HttpAnswer> {
    const c = this.config;
    const options = { token: c.wechat_chatbot_token, aesKey: c.wechat_chatbot_aes_key, encrypt: c.wechat_chatbot_encrypt, verifySignature: c.wechat_chatbot_verify_signature };
    const request = parseSkillRequest(body, options);
    const user = skillUser(request);
    if (!user) throw new RequestError(400, 'skill request has neither UserId nor SessionId: no conversation to continue', { error: 'missing UserId' });
    this.logger.info({ mode: 'skill', user, skill: request.SkillName, intent: request.IntentName }, 'skill request');
    const context = skillContext(request, this.name);
    const text = await this.answerOnce(context, `skill:${user}`, receivedAt);
    return skillAnswer(text, options);
  }

  private async onLegacy(query: Parameters<typeof parseLegacyRequest>[0], headers: Parameters<typeof parseLegacyRequest>[1], receivedAt: number): Promise<HttpAnswer> {
    const request = parseLegacyRequest(query, headers, this.config.wechat_chatbot_api_input_slot, this.config.wechat_chatbot_api_key);
    this.logger.info({ mode: 'legacy', user: request.uid, requestId: request.requestId }, 'legacy API request');
    const text = await this.answerOnce(legacyContext(request, this.name, this.config.wechat_chatbot_api_key !== ''), `api:${request.uid}`, receivedAt);
    return legacyAnswer(text, this.config.wechat_chatbot_api_output_slot);
  }

  /** answerInTime, once per request id: a platform retry shares the first request's answer. */
  private answerOnce(context: Context, pendingKey: string, receivedAt: number): Promise<string> {
    // The text is part of the key, so a reused id with another question is not mistaken for a retry.
    const key = context.messageId ? `${pendingKey}\n${context.messageId}\n${context.content}` : undefined;
    const repeated = key !== undefined && this.repeats.has(key);
    if (repeated) this.logger.info({ session: pendingKey, requestId: context.messageId }, 'platform retry of a request: answered as the first one, the bot is not asked again');
    this.ops?.metrics.callback(this.name, repeated ? 'repeated' : 'answered');
    ctxSet(context, ACTIVE_ROUTE, { pendingKey });
    return this.repeats.answer(key, () => answerInTime(context, pendingKey, this.syncOptions(receivedAt)));
  }

  private async onKefu(body: string): Promise<HttpAnswer> {
    const message = parseKefuRequest(body, this.kefuCrypt);
    if (!isUserText(message)) {
      this.logger.debug({ mode: 'kefu', from: message.from, event: message.event, kfstate: message.kfstate }, 'customer-service report that is not user text; nothing to answer');
      this.ops?.metrics.callback(this.name, 'acked');
      return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    }
    this.logger.info({ mode: 'kefu', user: message.userid, channel: message.channel }, 'customer-service message');
    this.ops?.metrics.callback(this.name, 'answered');
    const context = kefuContext(message, this.name);
    ctxSet(context, ACTIVE_ROUTE, { sendmsg: kefuTarget(message) });
    // Answered at once; the reply is pushed through sendmsg when the bot is done.
    const handle = this.requireHandler();
    void handle(context).catch((error: unknown) => this.logger.error({ err: error, user: message.userid }, 'customer-service message failed'));
    return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
  }

  private requireHandler(): MessageHandler {
    if (!this.handler) throw new Error('WechatChatbotChannel.start(handler) was not called');
    return this.handler;
  }
}
