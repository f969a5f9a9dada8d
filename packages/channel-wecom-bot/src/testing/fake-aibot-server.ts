import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A local stand-in for wss://openws.work.weixin.qq.com, written from the protocol facts
 * (PROTOCOLS-AIBOT-KF.md §1.6, §1.7), not from our client: it parses frames itself.
 */

export interface FakeAibotServerOptions {
  botId: string;
  secret: string;
  /** Stream frames whose stream.id was first seen longer ago than this get 846608. Default 6 min. */
  streamExpiryMs?: number;
  /** Clock for the stream expiry, so a test can jump minutes ahead. Default Date.now. */
  now?: () => number;
  /** Port to listen on, to come back where a closed fake was. Default: one the OS picks. */
  port?: number;
  /** Told of each frame the client sends, as it arrives (the dev server shows them). */
  onFrame?: (frame: ReceivedFrame) => void;
}

export interface ReceivedFrame {
  cmd: string;
  reqId: string;
  body: unknown;
  /** Which accepted socket it came on: 1 for the first, 2 for the next … */
  connection: number;
}

interface Peer {
  socket: WebSocket;
  id: number;
  subscribed: boolean;
  /** req_ids of the callbacks pushed on this socket: a reply must name one of them. */
  callbacks: Set<string>;
}

/** Commands that reply to the user; they are acked like WeCom does. */
const REPLY_CMDS = new Set(['aibot_respond_msg', 'aibot_respond_welcome_msg', 'aibot_respond_update_msg', 'aibot_send_msg']);

export class FakeAibotServer {
  readonly frames: ReceivedFrame[] = [];
  readonly url: string;
  /** Sockets ever accepted (a reconnect adds one). */
  acceptedConnections = 0;
  /** Successful aibot_subscribe acks sent. */
  subscriptions = 0;
  private readonly peers = new Set<Peer>();
  private readonly streamFirstSeen = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private ackDelayMs = 0;
  private dropPredicate: ((frame: ReceivedFrame) => boolean) | undefined;

  private constructor(
    private readonly server: WebSocketServer,
    private readonly options: FakeAibotServerOptions,
  ) {
    this.url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: FakeAibotServerOptions): Promise<FakeAibotServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 });
    await once(server, 'listening');
    return new FakeAibotServer(server, options);
  }

  /** Sockets open now. */
  get connections(): number {
    return this.peers.size;
  }

  framesOf(cmd: string): ReceivedFrame[] {
    return this.frames.filter((frame) => frame.cmd === cmd);
  }

  /** Resolves with the matching frames once `count` have arrived. */
  waitForFrames(predicate: (frame: ReceivedFrame) => boolean, count = 1, timeoutMs = 5_000): Promise<ReceivedFrame[]> {
    return this.waitUntil(() => {
      const matching = this.frames.filter(predicate);
      return matching.length >= count ? matching : undefined;
    }, timeoutMs, () => `expected ${count} matching frames, got ${this.frames.filter(predicate).length}`);
  }

  /** Resolves once `count` subscriptions in all have succeeded. */
  waitForSubscriptions(count: number, timeoutMs = 5_000): Promise<void> {
    return this.waitUntil(() => (this.subscriptions >= count ? true : undefined), timeoutMs, () => `expected ${count} subscriptions, got ${this.subscriptions}`).then(() => undefined);
  }

  /** Sends an aibot_msg_callback to the subscribed socket; returns its req_id. */
  pushMessage(body: Record<string, unknown>): string {
    return this.push('aibot_msg_callback', body);
  }

  pushEvent(body: Record<string, unknown>): string {
    return this.push('aibot_event_callback', body);
  }

  /** Sends a raw text frame as is (junk, control characters …) to every open socket. */
  pushRaw(text: string): void {
    for (const peer of this.peers) peer.socket.send(text);
  }

  setAckDelay(ms: number): void {
    this.ackDelayMs = ms;
  }

  /** Frames matching `predicate` get no ack (undefined: ack everything again). */
  dropAcks(predicate: ((frame: ReceivedFrame) => boolean) | undefined): void {
    this.dropPredicate = predicate;
  }

  /** What WeCom does when another instance subscribes with this bot: disconnected_event, then close. */
  secondLogin(): void {
    const peer = this.current();
    if (peer) this.kick(peer);
  }

  /** Cuts every socket without a close handshake (a network drop). */
  dropConnections(): void {
    for (const peer of this.peers) peer.socket.terminate();
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.terminate();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private accept(socket: WebSocket): void {
    this.acceptedConnections += 1;
    const peer: Peer = { socket, id: this.acceptedConnections, subscribed: false, callbacks: new Set() };
    this.peers.add(peer);
    socket.on('close', () => this.peers.delete(peer));
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => this.receive(peer, data.toString()));
  }

  private receive(peer: Peer, text: string): void {
    let value: { cmd?: unknown; headers?: { req_id?: unknown }; body?: unknown };
    try {
      value = JSON.parse(text) as typeof value;
    } catch {
      return; // WeCom's reaction to junk is unknown; ignoring it is the safe guess.
    }
    const reqId = typeof value.headers?.req_id === 'string' ? value.headers.req_id : '';
    const frame: ReceivedFrame = { cmd: String(value.cmd), reqId, body: value.body, connection: peer.id };
    this.frames.push(frame);
    this.options.onFrame?.(frame);
    for (const wake of this.waiters) wake();
    if (this.dropPredicate?.(frame)) return;
    const answer = this.answer(peer, frame);
    if (answer) this.ack(peer, reqId, answer.errcode, answer.errmsg, answer.after);
  }

  /** The ack WeCom would send (§1.6, §1.7); `after` runs once it is sent. */
  private answer(peer: Peer, frame: ReceivedFrame): { errcode: number; errmsg: string; after?: () => void } | undefined {
    const body = isRecord(frame.body) ? frame.body : {};
    if (frame.cmd === 'aibot_subscribe') {
      if (body['bot_id'] !== this.options.botId) return { errcode: 93019, errmsg: 'invalid bot_id' };
      if (body['secret'] !== this.options.secret) {
        return { errcode: 853000, errmsg: 'signature is incorrect, please check if the bot secret is correct' };
      }
      return { errcode: 0, errmsg: 'ok', after: () => this.subscribed(peer) };
    }
    if (frame.cmd === 'ping') return { errcode: 0, errmsg: 'ok' };
    if (REPLY_CMDS.has(frame.cmd)) {
      // A reply under a req_id this socket never carried (an older connection's) is refused, as WeCom does.
      if (frame.cmd !== 'aibot_send_msg' && !peer.callbacks.has(frame.reqId)) return { errcode: 846605, errmsg: 'invalid req_id' };
      return this.streamExpired(body) ? { errcode: 846608, errmsg: 'stream message update expired' } : { errcode: 0, errmsg: 'ok' };
    }
    // WeCom's answer to an unknown cmd is not documented; non-zero makes a typo visible.
    return { errcode: 40000, errmsg: `unknown cmd ${frame.cmd}` };
  }

  private streamExpired(body: Record<string, unknown>): boolean {
    const stream = body['stream'];
    if (body['msgtype'] !== 'stream' || !isRecord(stream) || typeof stream['id'] !== 'string') return false;
    const now = (this.options.now ?? Date.now)();
    const first = this.streamFirstSeen.get(stream['id']) ?? now;
    this.streamFirstSeen.set(stream['id'], first);
    return now - first > (this.options.streamExpiryMs ?? 6 * 60_000);
  }

  /** A second subscriber takes the bot over: the older socket is told and closed, as WeCom does. */
  private subscribed(peer: Peer): void {
    for (const other of this.peers) if (other !== peer && other.subscribed) this.kick(other);
    peer.subscribed = true;
    this.subscriptions += 1;
    for (const wake of this.waiters) wake();
  }

  private kick(peer: Peer): void {
    peer.subscribed = false;
    const body = { msgid: randomUUID(), create_time: Math.floor(Date.now() / 1000), aibotid: this.options.botId, msgtype: 'event', event: { eventtype: 'disconnected_event' } };
    peer.socket.send(JSON.stringify({ cmd: 'aibot_event_callback', headers: { req_id: randomUUID() }, body }), () => peer.socket.close(1000, 'replaced'));
  }

  private ack(peer: Peer, reqId: string, errcode: number, errmsg: string, after?: () => void): void {
    const send = (): void => {
      if (peer.socket.readyState !== peer.socket.OPEN) return;
      peer.socket.send(JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg }));
      after?.();
    };
    if (this.ackDelayMs > 0) setTimeout(send, this.ackDelayMs);
    else send();
  }

  private push(cmd: string, body: Record<string, unknown>): string {
    const peer = this.current();
    if (!peer) throw new Error(`FakeAibotServer: no subscribed socket to push ${cmd} to`);
    const reqId = randomUUID();
    peer.callbacks.add(reqId);
    peer.socket.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    return reqId;
  }

  private current(): Peer | undefined {
    return [...this.peers].reverse().find((peer) => peer.subscribed);
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const ready = check();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        const value = check();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => (cleanup(), reject(new Error(`FakeAibotServer: ${describe()}`))), timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
