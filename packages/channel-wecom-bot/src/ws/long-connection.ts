/**
 * The AI bot long connection (PROTOCOLS-AIBOT-KF.md §1.6), written on `ws` rather than
 * Tencent's @wecom/aibot-node-sdk: we need to control acks (every frame's promise settles,
 * non-zero errcodes reach the caller), deadlines, reconnects (jitter, no reconnect after
 * disconnected_event, no endless retry on bad credentials) and logging (no secret, pino),
 * and the SDK would also bring axios, which we do not otherwise need.
 */
import type { Logger } from '@wecom-bot/core';
import { backoffDelay } from './backoff.js';
import { AuthError, ConnectionClosedError } from './errors.js';
import type { Ack, CallbackFrame, OutboundCmd } from './frames.js';
import { Link } from './link.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'replaced' | 'stopped';

export interface LongConnectionOptions {
  /** wss://openws.work.weixin.qq.com, or `wecom_bot_ws_url`. */
  url: string;
  botId: string;
  secret: string;
  logger: Logger;
  heartbeatMs?: number;
  ackTimeoutMs?: number;
  reconnect?: { baseMs?: number; maxMs?: number };
  /** Jitter source in [0, 1); tests pin it. */
  random?: () => number;
}

export type CallbackHandler = (frame: CallbackFrame) => void | Promise<void>;
export type StateListener = (state: ConnectionState, previous: ConnectionState) => void;

/**
 * One subscribed connection per bot, kept alive: heartbeat, reconnect with backoff, and a
 * stop without reconnect when WeCom says another instance took the bot over.
 * States: stopped → connecting → open ⇄ reconnecting; open → replaced (terminal until a
 * new start()); anything → stopped on stop() or on credentials rejected at a reconnect.
 */
export class LongConnection {
  private stateNow: ConnectionState = 'stopped';
  private link: Link | undefined;
  private attempt = 0;
  /** Bumped by start() and stop(): an open or reconnect still in flight from before is dropped. */
  private epoch = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly callbackHandlers = new Set<CallbackHandler>();
  private readonly stateListeners = new Set<StateListener>();
  private readonly heartbeatMs: number;
  private readonly ackTimeoutMs: number;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly random: () => number;
  private readonly logger: Logger;

  constructor(private readonly options: LongConnectionOptions) {
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5_000;
    this.backoff = { baseMs: options.reconnect?.baseMs ?? 1_000, maxMs: options.reconnect?.maxMs ?? 30_000 };
    this.random = options.random ?? Math.random;
    this.logger = options.logger;
  }

  get state(): ConnectionState {
    return this.stateNow;
  }

  /**
   * Opens the socket and subscribes. Rejects, without retrying, with AuthError (the config
   * key to fix is in the message), SubscribeError or ConnectError (URL and error code).
   */
  async start(): Promise<void> {
    const from = this.stateNow;
    if (from !== 'stopped' && from !== 'replaced') throw new Error(`LongConnection.start(): already ${from}`);
    this.attempt = 0;
    const epoch = ++this.epoch;
    this.setState('connecting');
    let link: Link;
    try {
      link = await this.openLink();
    } catch (error) {
      if (epoch === this.epoch) this.setState('stopped');
      throw error;
    }
    if (epoch !== this.epoch) {
      await link.close('stopped while connecting');
      throw new Error('LongConnection stopped before the connection was up');
    }
    this.link = link;
    this.setState('open');
    this.logger.info({ botId: this.options.botId, url: this.options.url }, 'AI bot long connection subscribed');
  }

  /** Messages and events from WeCom, in arrival order. Handler errors are logged, never thrown. Returns an unsubscribe. */
  onCallback(handler: CallbackHandler): () => void {
    this.callbackHandlers.add(handler);
    return () => this.callbackHandlers.delete(handler);
  }

  /** State changes; 'reconnecting' → 'open' is a reconnect. Returns an unsubscribe. */
  onStateChange(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /**
   * Sends `{cmd, headers: {req_id}, body}` and resolves with the ack. A non-zero errcode
   * RESOLVES (846608 stream expired, 846605 invalid req_id … are answers the caller acts on);
   * only transport failures reject: AckTimeoutError, or ConnectionClosedError when not open
   * or when the socket dies first (then fall back, e.g. aibot_send_msg after reconnect).
   * Replies to a callback pass its req_id; a new one (UUID) is made otherwise.
   */
  request(cmd: OutboundCmd, body?: unknown, reqId?: string): Promise<Ack> {
    const link = this.link;
    if (!link || this.stateNow !== 'open') {
      return Promise.reject(new ConnectionClosedError(cmd, reqId ?? '(none)', `long connection is ${this.stateNow}`));
    }
    return link.request(cmd, body, reqId);
  }

  /**
   * Resolves when the connection is (back) open; rejects when it stops, is replaced, or after
   * `timeoutMs` (default: the longest backoff plus one subscribe).
   */
  whenOpen(timeoutMs = this.backoff.maxMs + this.ackTimeoutMs): Promise<void> {
    if (this.stateNow === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`long connection not open within ${timeoutMs} ms (${this.stateNow})`)), timeoutMs);
      const unsubscribe = this.onStateChange((state) => {
        if (state === 'open') done();
        else if (state === 'stopped' || state === 'replaced') done(new Error(`long connection ${state}`));
      });
      const done = (error?: Error): void => {
        clearTimeout(timer);
        unsubscribe();
        if (error) reject(error);
        else resolve();
      };
    });
  }

  /** Closes cleanly, clears timers; pending requests reject with ConnectionClosedError. */
  async stop(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.epoch += 1;
    const link = this.link;
    this.link = undefined;
    if (this.stateNow !== 'stopped') this.setState('stopped');
    if (link) await link.close('connection stopped');
  }

  private openLink(): Promise<Link> {
    const { url, botId, secret } = this.options;
    return Link.open({
      url,
      botId,
      secret,
      logger: this.logger,
      ackTimeoutMs: this.ackTimeoutMs,
      heartbeatMs: this.heartbeatMs,
      onCallback: (frame) => this.dispatch(frame),
      onReplaced: (link) => this.replaced(link),
      onClosed: (link, reason) => this.lost(link, reason),
      onHealthy: () => {
        // Reset only once a ping came back: a server that accepts and then drops at once
        // keeps the backoff growing instead of being redialled every baseMs.
        this.attempt = 0;
      },
    });
  }

  private dispatch(frame: CallbackFrame): void {
    // Deferred: several frames can arrive in one tick, before start()/reconnect has made
    // the link current, and a handler replying at once must find it open. Frames of a link
    // lost meanwhile are still delivered: they are real messages; their replies will fail
    // with ConnectionClosedError and take the caller's fallback.
    setImmediate(() => {
      if (this.stateNow === 'stopped') return;
      for (const handler of this.callbackHandlers) {
        Promise.resolve()
          .then(() => handler(frame))
          .catch((error: unknown) => {
            this.logger.error({ err: error, cmd: frame.cmd, reqId: frame.headers.req_id }, 'AI bot callback handler failed');
          });
      }
    });
  }

  private replaced(link: Link): void {
    if (link !== this.link) return;
    this.logger.error(
      { botId: this.options.botId },
      'Another instance subscribed with this wecom_bot_id and took over the AI bot long connection (disconnected_event). ' +
        'This instance stops and will NOT reconnect, or the two would keep kicking each other out. ' +
        'Run one instance per bot; restart this one after stopping the other.',
    );
    this.link = undefined;
    this.setState('replaced');
    void link.close('replaced by another instance (disconnected_event)');
  }

  private lost(link: Link, reason: string): void {
    if (link !== this.link) return;
    this.link = undefined;
    if (this.stateNow !== 'open') return;
    this.logger.warn({ reason }, 'AI bot long connection lost; reconnecting');
    this.setState('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delayMs = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.logger.info({ attempt: this.attempt, delayMs }, 'AI bot long connection: reconnect scheduled');
    this.reconnectTimer = setTimeout(() => void this.reconnect(), delayMs);
  }

  private async reconnect(): Promise<void> {
    this.reconnectTimer = undefined;
    const epoch = this.epoch;
    if (this.stateNow !== 'reconnecting') return;
    let link: Link;
    try {
      link = await this.openLink();
    } catch (error) {
      if (epoch !== this.epoch || this.stateNow !== 'reconnecting') return;
      if (error instanceof AuthError) {
        // Credentials changed under us (secret regenerated): retrying cannot fix it.
        this.logger.error({ errcode: error.errcode }, `AI bot long connection stopped: ${error.message}`);
        this.setState('stopped');
        return;
      }
      this.logger.warn({ err: (error as Error).message, attempt: this.attempt }, 'AI bot long connection: reconnect failed');
      this.scheduleReconnect();
      return;
    }
    if (epoch !== this.epoch || this.stateNow !== 'reconnecting') {
      await link.close('stopped while reconnecting');
      return;
    }
    this.link = link;
    this.setState('open');
    this.logger.info({ botId: this.options.botId, attempts: this.attempt }, 'AI bot long connection reconnected');
  }

  private setState(next: ConnectionState): void {
    const previous = this.stateNow;
    if (previous === next) return;
    this.stateNow = next;
    for (const listener of this.stateListeners) {
      try {
        listener(next, previous);
      } catch (error) {
        this.logger.error({ err: error }, 'AI bot long connection: state listener failed');
      }
    }
  }
}
