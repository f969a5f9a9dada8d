import type { Logger } from '@wecom-bot/core';
import { WXBizJsonMsgCrypt } from '@wecom-bot/wx-crypto';
import type { WecomBotConfig } from './config.js';
import type { AibotMessage } from './inbound/message.js';
import { STREAM_MAX_BYTES, type StreamFrame } from './stream/stream-reply.js';
import { cutUtf8 } from './stream/utf8.js';
import type { AibotTransport, CallbackReceiver } from './transport.js';
import { listenWebhook, type WebhookServer } from './webhook/listen.js';
import { markdownBody, postResponseUrl } from './webhook/response-url.js';
import { createWebhookApp } from './webhook/server.js';

/** The webhook: WeCom POSTs callbacks and polls streams; the fallback is the message's response_url. */
export class WebhookTransport implements AibotTransport {
  private server: WebhookServer | undefined;

  constructor(
    private readonly config: WecomBotConfig,
    private readonly logger: Logger,
  ) {}

  get port(): number | undefined {
    return this.server?.port;
  }

  async start(receive: CallbackReceiver, refresh: (streamId: string) => StreamFrame | undefined): Promise<void> {
    const c = this.config;
    const app = createWebhookApp({
      path: c.wecom_bot_path,
      crypt: new WXBizJsonMsgCrypt(c.wecom_bot_token, c.wecom_bot_aes_key, ''),
      maxBodyBytes: 64 * 1024,
      logger: this.logger,
      onMessage: (body) => receive(body, { welcome: async (text) => ({ msgtype: 'text', text: { content: text } }) }),
      // A stream we do not know (a restart lost it) is closed with a notice, not emptied.
      onRefresh: (id) => refresh(id) ?? { msgtype: 'stream', stream: { id, finish: true, content: '（这条回答已中断，请重新提问。）' } },
    });
    this.server = await listenWebhook(app, { port: c.wecom_bot_port, host: c.wecom_bot_host, portKey: 'wecom_bot_port' });
    this.logger.info({ port: this.server.port, path: c.wecom_bot_path }, `AI bot webhook ready: set the bot's callback URL to https://<your host>${c.wecom_bot_path} (port ${this.server.port} behind your TLS proxy)`);
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }

  /** response_url works once (one hour): a longer answer is cut there, with a note. */
  async sendMarkdown(message: AibotMessage, markdown: string): Promise<void> {
    if (!message.response_url) throw new Error('this message carried no response_url: webhook mode cannot send to it outside the stream');
    const note = '\n\n（内容过长，已截断。）';
    const [head, rest] = cutUtf8(markdown, STREAM_MAX_BYTES);
    const content = rest === '' ? head : `${cutUtf8(markdown, STREAM_MAX_BYTES - Buffer.byteLength(note))[0]}${note}`;
    await postResponseUrl(message.response_url, markdownBody(content), { logger: this.logger });
  }
}
