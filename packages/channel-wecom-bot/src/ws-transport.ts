import type { Logger, ReadinessState } from '@wecom-bot/core';
import type { WecomBotConfig } from './config.js';
import { STREAM_MAX_BYTES } from './stream/stream-reply.js';
import { splitUtf8 } from './stream/utf8.js';
import type { ActiveListener, AibotTransport, CallbackReceiver, ReplyRoute } from './transport.js';
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

  async start(receive: CallbackReceiver, _refresh?: unknown, onActive: ActiveListener = () => undefined): Promise<void> {
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
    // Replaced by another subscriber: that one talks to WeCom now, and resumes what is left.
    this.connection.onStateChange((state) => {
      if (state === 'replaced' || state === 'stopped') onActive(false);
    });
    const connect = async () => {
      await this.connection.start();
      onActive(true);
    };
    if (!this.lease) return connect();
    await this.lease.start(connect, () => void this.connection.stop());
  }

  async stop(): Promise<void> {
    await this.lease?.release();
    await this.connection.stop();
  }

  /** aibot_send_msg; after a dropped socket it waits for the reconnect. */
  async sendMarkdown(route: ReplyRoute, markdown: string): Promise<void> {
    await this.connection.whenOpen();
    for (const part of splitUtf8(markdown, STREAM_MAX_BYTES)) {
      const body = { chatid: route.chatId, msgtype: 'markdown', markdown: { content: part } };
      accepted('aibot_send_msg', await this.connection.request('aibot_send_msg', body));
    }
  }

  get state() {
    return this.connection.state;
  }

  /** Ready when connected, or when standing by while another instance holds the connection. */
  async readiness(): Promise<ReadinessState> {
    if (this.lease?.role === 'standby') return { ready: true, detail: `standing by: ${(await this.lease.holder()) ?? 'another instance'} holds the long connection` };
    if (this.lease?.role === 'lost') return { ready: false, detail: 'lost the connection lease; not connected' };
    const state = this.connection.state;
    return state === 'open' ? { ready: true, detail: 'long connection open' } : { ready: false, detail: `long connection ${state}` };
  }
}
