import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Logger } from '@wecom-bot/core';
import type WebSocket from 'ws';
import { ConnectError, ConnectionClosedError, scrub, subscribeError } from './errors.js';
import { encodeFrame, isDisconnectedEvent, parseFrame, type Ack, type CallbackFrame, type OutboundCmd, type OutboundFrame } from './frames.js';
import { PendingAcks } from './pending-acks.js';

export interface LinkOptions {
  url: string;
  botId: string;
  secret: string;
  logger: Logger;
  ackTimeoutMs: number;
  heartbeatMs: number;
  onCallback: (frame: CallbackFrame, link: Link) => void;
  /** WeCom's disconnected_event: another instance subscribed with this bot. */
  onReplaced: (link: Link) => void;
  /** The socket is gone, for whatever reason; every pending request has been rejected. */
  onClosed: (link: Link, reason: string) => void;
  /** A ping was answered: the link has proved itself alive. */
  onHealthy: (link: Link) => void;
}

/** The SDK's rule: a link whose last two pings went unanswered is dead. */
const MAX_MISSED_PINGS = 2;
/** Time for TCP + TLS + HTTP upgrade; generous, as only a first start waits on it. */
const HANDSHAKE_TIMEOUT_MS = 10_000;
/** How long a clean close may take before the socket is cut. */
const CLOSE_GRACE_MS = 1_000;
const JUNK_PREVIEW_CHARS = 120;

/**
 * One WebSocket, opened and subscribed: requests with acks, heartbeat, inbound dispatch.
 * LongConnection owns the lifecycle (reconnects, replacement, stop) and makes a new Link
 * for every socket, so nothing of a dead socket (acks, missed pings) leaks into the next.
 */
export class Link {
  private readonly pending: PendingAcks;
  private heartbeat: NodeJS.Timeout | undefined;
  private missedPings = 0;
  private closeReason: string | undefined;
  private readonly closed: Promise<void>;

  private constructor(
    private readonly socket: WebSocket,
    private readonly options: LinkOptions,
  ) {
    this.pending = new PendingAcks(options.ackTimeoutMs);
    socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => this.receive(data, isBinary));
    socket.on('error', (error: Error) => {
      // Before open, opened() reports it; after, a 'close' follows and drives the reconnect.
      options.logger.debug({ err: scrub(error.message, options.secret) }, 'AI bot long connection: socket error');
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        this.stopHeartbeat();
        const why = this.closeReason ?? `closed by the server (code ${code}${reason.length > 0 ? `, ${reason.toString()}` : ''})`;
        this.pending.rejectAll((cmd, reqId) => new ConnectionClosedError(cmd, reqId, why));
        resolve();
        options.onClosed(this, why);
      });
    });
  }

  /** Opens the socket and subscribes; rejects with ConnectError, AuthError or SubscribeError. */
  static async open(options: LinkOptions): Promise<Link> {
    const { url } = options;
    let socket: WebSocket;
    try {
      // ws is loaded on the first connection: a bot on another channel never loads it.
      const WebSocketClass = createRequire(import.meta.url)('ws') as typeof WebSocket;
      socket = new WebSocketClass(url, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS });
    } catch (error) {
      throw new ConnectError(`wecom_bot_ws_url "${url}" is not a usable ws:// or wss:// URL: ${(error as Error).message}`, url);
    }
    const link = new Link(socket, options);
    await link.opened();
    let ack: Ack;
    try {
      ack = await link.request('aibot_subscribe', { bot_id: options.botId, secret: options.secret });
    } catch (error) {
      link.terminate('subscribe not acked');
      throw new ConnectError(
        `${url} opened a socket but did not answer aibot_subscribe (${(error as Error).message}); ` +
          'check that wecom_bot_ws_url is the WeCom AI bot endpoint (default wss://openws.work.weixin.qq.com)',
        url,
      );
    }
    if (ack.errcode !== 0) {
      link.terminate(`aibot_subscribe errcode ${ack.errcode}`);
      throw subscribeError(options.botId, ack.errcode, ack.errmsg, options.secret);
    }
    link.startHeartbeat();
    return link;
  }

  /**
   * Sends one frame and resolves with its ack, whatever its errcode. The body is never
   * logged: the subscribe frame carries the secret.
   */
  request(cmd: OutboundCmd, body?: unknown, reqId: string = randomUUID()): Promise<Ack> {
    if (this.socket.readyState !== this.socket.OPEN) {
      return Promise.reject(new ConnectionClosedError(cmd, reqId, this.closeReason ?? 'socket not open'));
    }
    const frame: OutboundFrame = body === undefined ? { cmd, headers: { req_id: reqId } } : { cmd, headers: { req_id: reqId }, body };
    const { acked, cancel } = this.pending.add(cmd, reqId);
    this.socket.send(encodeFrame(frame), (error) => {
      if (error) cancel(new ConnectionClosedError(cmd, reqId, `send failed: ${error.message}`));
    });
    if (cmd !== 'ping') this.options.logger.debug({ cmd, reqId }, 'AI bot frame sent');
    return acked;
  }

  /** Closes cleanly (code 1000); pending requests reject with `reason`. Cuts the socket after a grace period. */
  async close(reason: string): Promise<void> {
    this.closeReason ??= reason;
    this.stopHeartbeat();
    this.pending.rejectAll((cmd, reqId) => new ConnectionClosedError(cmd, reqId, reason));
    if (this.socket.readyState === this.socket.CONNECTING || this.socket.readyState === this.socket.OPEN) {
      this.socket.close(1000, reason.slice(0, 120));
    }
    const grace = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
    await this.closed;
    clearTimeout(grace);
  }

  /** Cuts the socket at once (dead link, failed subscribe). */
  terminate(reason: string): void {
    this.closeReason ??= reason;
    this.socket.terminate();
  }

  private opened(): Promise<void> {
    const { url } = this.options;
    return new Promise((resolve, reject) => {
      const onOpen = (): void => {
        this.socket.off('error', onError);
        resolve();
      };
      const onError = (error: Error & { code?: string }): void => {
        this.socket.off('open', onOpen);
        const code = error.code;
        reject(
          new ConnectError(
            `cannot open the WeCom AI bot long connection to ${url}: ${code ? `${code}, ` : ''}${scrub(error.message, this.options.secret)}; ` +
              'check wecom_bot_ws_url and that this host can reach it (outbound wss)',
            url,
            code,
          ),
        );
      };
      this.socket.once('open', onOpen);
      this.socket.once('error', onError);
    });
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    const { logger } = this.options;
    const text = isBinary ? '' : rawText(data);
    const parsed = isBinary ? { kind: 'junk' as const, reason: 'binary frame' } : parseFrame(text);
    switch (parsed.kind) {
      case 'junk':
        logger.warn({ reason: parsed.reason, preview: text.slice(0, JUNK_PREVIEW_CHARS) }, 'AI bot long connection: ignored a junk frame');
        return;
      case 'ack':
        if (!this.pending.settle(parsed.ack)) logger.debug({ reqId: parsed.ack.reqId, errcode: parsed.ack.errcode }, 'AI bot ack with no frame waiting (late or duplicate)');
        return;
      case 'other':
        logger.debug({ cmd: parsed.cmd, reqId: parsed.reqId }, 'AI bot frame with an unhandled cmd ignored');
        return;
      case 'callback':
        if (isDisconnectedEvent(parsed.frame)) this.options.onReplaced(this);
        else this.options.onCallback(parsed.frame, this);
        return;
    }
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private beat(): void {
    if (this.missedPings >= MAX_MISSED_PINGS) {
      this.options.logger.warn({ missedPings: this.missedPings }, 'AI bot long connection: pings unanswered, the link is dead; reconnecting');
      this.stopHeartbeat();
      this.terminate(`${this.missedPings} pings unanswered`);
      return;
    }
    this.missedPings += 1;
    // Any ack, even a non-zero errcode, proves the server is there.
    this.request('ping').then(
      () => {
        this.missedPings = 0;
        this.options.onHealthy(this);
      },
      () => undefined,
    );
  }
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return Buffer.isBuffer(data) ? data.toString() : Buffer.from(data).toString();
}
