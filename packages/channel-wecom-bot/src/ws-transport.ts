import type { Logger } from '@wecom-bot/core';
import type { WecomBotConfig } from './config.js';
import { chatIdOf } from './inbound/to-context.js';
import type { AibotMessage } from './inbound/message.js';
import { STREAM_MAX_BYTES } from './stream/stream-reply.js';
import { splitUtf8 } from './stream/utf8.js';
import type { AibotTransport, CallbackReceiver } from './transport.js';
import type { Ack } from './ws/frames.js';
import { ConnectionLease } from './ws/connection-lease.js';
import { LongConnection, type LongConnectionOptions } from './ws/long-connection.js';

/** A refused frame, with WeCom's errcode (846608: the stream expired). */
export class AibotRequestError extends Error {
  constructor(
    readonly cmd: string,
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`${cmd} refused: errcode ${errcode} (${errmsg})`);
    this.name = 'AibotRequestError';
  }
}

function accepted(cmd: string, ack: Ack): void {
  if (ack.errcode !== 0) throw new AibotRequestError(cmd, ack.errcode, ack.errmsg);
}

/** The long connection: callbacks in, stream frames and aibot_send_msg out, on one socket. */
export class WsTransport implements AibotTransport {
  private readonly connection: LongConnection;
  /** Counts sockets: a callback's req_id means nothing on a later one. */
  private socket = 0;

  constructor(
    config: WecomBotConfig,
    logger: Logger,
    options: Partial<LongConnectionOptions> = {},
    /** With several instances: only the lease holder connects. */
    private readonly lease?: ConnectionLease,
  ) {
    this.connection = new LongConnection({ url: config.wecom_bot_ws_url, botId: config.wecom_bot_id, secret: config.wecom_bot_secret, logger, ...options });
    this.connection.onStateChange((state) => {
      if (state === 'open') this.socket += 1;
    });
  }

  async start(receive: CallbackReceiver): Promise<void> {
    this.connection.onCallback(async (frame) => {
      const reqId = frame.headers.req_id;
      const socket = this.socket;
      await receive(frame.body, {
        // After a reconnect the stream is gone with its socket: refuse, so the answer goes by aibot_send_msg.
        push: async (stream) => {
          if (this.socket !== socket) throw new Error('the connection this message came on was replaced; its stream is gone');
          accepted('aibot_respond_msg', await this.connection.request('aibot_respond_msg', stream, reqId));
        },
        welcome: async (text) => {
          accepted('aibot_respond_welcome_msg', await this.connection.request('aibot_respond_welcome_msg', { msgtype: 'text', text: { content: text } }, reqId));
          return undefined;
        },
      });
    });
    if (!this.lease) return this.connection.start();
    await this.lease.start(() => this.connection.start(), () => void this.connection.stop());
  }

  async stop(): Promise<void> {
    await this.lease?.release();
    await this.connection.stop();
  }

  /** After a dropped socket the answer waits for the reconnect, then goes by aibot_send_msg. */
  async sendMarkdown(message: AibotMessage, markdown: string): Promise<void> {
    await this.pushMarkdown(chatIdOf(message), markdown);
  }

  async pushMarkdown(chatId: string, markdown: string): Promise<void> {
    await this.connection.whenOpen();
    for (const part of splitUtf8(markdown, STREAM_MAX_BYTES)) {
      const body = { chatid: chatId, msgtype: 'markdown', markdown: { content: part } };
      accepted('aibot_send_msg', await this.connection.request('aibot_send_msg', body));
    }
  }

  get state() {
    return this.connection.state;
  }
}
