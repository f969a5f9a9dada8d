import type { Logger, Operations, ReadinessState } from '@wecom-bot/core';
import { WXBizJsonMsgCrypt } from '@wecom-bot/wx-crypto';
import type { WecomBotConfig } from './config.js';
import { STREAM_MAX_BYTES, type StreamFrame } from './stream/stream-reply.js';
import { cutUtf8 } from './stream/utf8.js';
import type { ActiveListener, AibotTransport, CallbackReceiver, ReplyRoute } from './transport.js';
import { listenWebhook, type WebhookServer } from './webhook/listen.js';
import { markdownBody, postResponseUrl } from './webhook/response-url.js';

/** What a poll of a stream this process does not know (it restarted) shows. */
const INTERRUPTED = '（回答中断了，完成后将单独发送；如未收到，请重新提问。）';

/** The webhook: WeCom POSTs callbacks and polls streams; the fallback is the message's response_url. */
export class WebhookTransport implements AibotTransport {
  private server: WebhookServer | undefined;

  constructor(
    private readonly config: WecomBotConfig,
    private readonly logger: Logger,
    /** Its server answers the ops paths and counts refused callbacks. */
    private readonly ops?: Operations,
  ) {}

  get port(): number | undefined {
    return this.server?.port;
  }

  async start(receive: CallbackReceiver, refresh: (streamId: string) => StreamFrame | undefined, onActive: ActiveListener = () => undefined): Promise<void> {
    const c = this.config;
    // Koa and its router load here, not with the package: a bot on another channel never loads them.
    const { createWebhookApp } = await import('./webhook/server.js');
    const app = createWebhookApp({
      path: c.wecom_bot_path,
      crypt: new WXBizJsonMsgCrypt(c.wecom_bot_token, c.wecom_bot_aes_key, ''),
      maxBodyBytes: 64 * 1024,
      logger: this.logger,
      ops: this.ops,
      onMessage: (body) => receive(body, { welcome: async (text) => ({ msgtype: 'text', text: { content: text } }) }),
      // A stream we do not know (a restart lost it) is closed with a notice, not emptied; the
      // outbox sends the answer to the message's response_url once it is written.
      onRefresh: (id) => refresh(id) ?? { msgtype: 'stream', stream: { id, finish: true, content: INTERRUPTED } },
    });
    this.server = await listenWebhook(app, { port: c.wecom_bot_port, host: c.wecom_bot_host, portKey: 'wecom_bot_port' });
    onActive(true);
    this.logger.info({ port: this.server.port, path: c.wecom_bot_path }, `AI bot webhook ready: set the bot's callback URL to https://<your host>${c.wecom_bot_path} (port ${this.server.port} behind your TLS proxy)`);
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  readiness(): ReadinessState {
    return this.server ? { ready: true, detail: `webhook listening on port ${this.server.port}` } : { ready: false, detail: 'webhook server not listening' };
  }

  /** response_url works once (one hour): a longer answer is cut there, with a note. */
  async sendMarkdown(route: ReplyRoute, markdown: string): Promise<void> {
    if (!route.responseUrl) throw new Error('webhook mode can only answer a message that carried a response_url, and cannot start a conversation: use wecom_bot_mode "websocket" to push messages');
    const note = '\n\n（内容过长，已截断。）';
    const [head, rest] = cutUtf8(markdown, STREAM_MAX_BYTES);
    const content = rest === '' ? head : `${cutUtf8(markdown, STREAM_MAX_BYTES - Buffer.byteLength(note))[0]}${note}`;
    await postResponseUrl(route.responseUrl, markdownBody(content), { logger: this.logger });
  }
}
