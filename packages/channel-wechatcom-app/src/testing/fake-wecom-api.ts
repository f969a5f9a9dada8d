import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { countWaiter } from '@wecom-bot/core/testing';

/**
 * What the fake answers instead of a success, once: a WeCom errcode, a bare HTTP status, or a
 * cut connection: `reset` before the request is read (it never reaches WeCom), `hang` after it
 * is read (never answered, never delivered: the caller is left waiting).
 */
export type Fault = { errcode: number; errmsg?: string } | { status: number } | { cut: 'reset' | 'hang' };

export interface RecordedCall {
  /** API name after /cgi-bin/, e.g. "gettoken", "message/send". */
  api: string;
  method: string;
  query: Record<string, string>;
  /** Parsed JSON body of a POST (message/send). */
  json?: unknown;
  /** What the fake answered: 0 for success, the errcode or HTTP status of an injected fault. */
  answered: number;
  /** Set when the connection was cut instead of answered. */
  cut?: 'reset' | 'hang';
  /** The JSON body answered (absent for media bytes), and how long the answer took: set once it is sent. */
  response?: unknown;
  ms?: number;
}

export interface UploadedMedia {
  mediaId: string;
  type: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface FakeWecomApiOptions {
  corpId: string;
  secret: string;
  /** expires_in of issued tokens, seconds. Default 7200. */
  expiresIn?: number;
  /** Port to listen on (to come back where a closed fake was). Default: one the OS picks. */
  port?: number;
  /** Told of each call once it is answered (the dev server shows them). */
  onCall?: (call: RecordedCall) => void;
  /** The app's AgentId and name, for agent/get. Default: any agent id is this app, named "Test App". */
  agentId?: string;
  agentName?: string;
}

/**
 * A local HTTP server that speaks the WeCom server API as far as this channel uses it:
 * gettoken (checks the corp id, 40013, and secret, 40001), agent/get, message/send,
 * media/upload (multipart, field "media"), media/get. Tokens can be expired (42001), the
 * caller's IP refused (60020) and faults injected per API. Every call is recorded.
 */
export class FakeWecomApi {
  readonly calls: RecordedCall[] = [];
  /** Bodies of message/send calls that succeeded, in order. */
  readonly sent: Array<Record<string, unknown>> = [];
  readonly uploads: UploadedMedia[] = [];
  readonly issuedTokens: string[] = [];
  private readonly valid = new Set<string>();
  private readonly expired = new Set<string>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly resets = new Map<string, { every: number; seen: number }>();
  private refusedIp: string | undefined;
  private readonly media = new Map<string, { data: Buffer; contentType: string; filename: string }>();
  private readonly sentArrivals = countWaiter(this.sent, 'sent messages');
  private counter = 0;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeWecomApiOptions,
  ) {}

  static async start(options: FakeWecomApiOptions): Promise<FakeWecomApi> {
    const server = createServer();
    const api = new FakeWecomApi(server, options);
    server.on('connection', () => (api.connectionsOpened += 1));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void api.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    server.listen(options.port ?? 0, '127.0.0.1');
    await once(server, 'listening');
    (api as { baseUrl: string }).baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return api;
  }

  /** Stays valid after close(), so a test can aim a client at a closed port. */
  readonly baseUrl: string = '';

  callsTo(api: string): RecordedCall[] {
    return this.calls.filter((c) => c.api === api);
  }

  /** TCP connections clients opened to this API so far. */
  connectionsOpened = 0;

  /** The next calls to `api` get these faults, one each, before answering normally again. */
  failNext(api: string, ...faults: Fault[]): void {
    this.faults.set(api, [...(this.faults.get(api) ?? []), ...faults]);
  }

  /** From now on every `every`-th call to `api` has its connection reset before it is read (0 stops). */
  resetEvery(api: string, every: number): void {
    if (every > 0) this.resets.set(api, { every, seen: 0 });
    else this.resets.delete(api);
  }

  /**
   * From now on every call but gettoken answers 60020 quoting `ip` as the caller's, as WeCom
   * does for an IP missing from the app's trusted IPs (undefined: trusted again).
   */
  refuseFromIp(ip: string | undefined): void {
    this.refusedIp = ip;
  }

  /** Every token issued so far now answers 42001, as WeCom does after expiry. */
  expireTokens(): void {
    for (const token of this.valid) this.expired.add(token);
    this.valid.clear();
  }

  /** Serves bytes on media/get; returns the media id. */
  addMedia(data: Buffer, contentType: string, filename: string): string {
    const id = `MEDIA_IN_${++this.counter}`;
    this.media.set(id, { data, contentType, filename });
    return id;
  }

  /** Resolves once `count` messages have been sent successfully. */
  waitForSent(count: number, timeoutMs = 5000): Promise<void> {
    return this.sentArrivals.waitFor(count, timeoutMs);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const api = url.pathname.replace(/^\/cgi-bin\//, '');
    const query = Object.fromEntries(url.searchParams);
    const fault = this.faults.get(api)?.shift() ?? this.periodicReset(api);
    if (fault && 'cut' in fault && fault.cut === 'reset') {
      this.calls.push({ api, method: req.method ?? 'GET', query, answered: 0, cut: 'reset' });
      req.socket.resetAndDestroy();
      return;
    }
    const raw = await buffer(req);
    const call: RecordedCall = { api, method: req.method ?? 'GET', query, answered: 0 };
    const started = performance.now();
    res.on('finish', () => {
      call.ms = performance.now() - started;
      call.response = answers.get(res);
      this.options.onCall?.(call);
    });
    if (req.method === 'POST' && /json/.test(req.headers['content-type'] ?? '')) call.json = JSON.parse(raw.toString('utf8'));
    this.calls.push(call);

    if (fault && 'cut' in fault) {
      call.cut = fault.cut; // hang: read, never acted on, never answered
      return;
    }
    if (fault) {
      call.answered = 'status' in fault ? fault.status : fault.errcode;
      if ('status' in fault) return send(res, fault.status, { message: 'injected failure' });
      return send(res, 200, { errcode: fault.errcode, errmsg: fault.errmsg ?? `injected errcode ${fault.errcode}` });
    }
    if (api === 'gettoken') return this.getToken(query, res, call);
    const token = query.access_token ?? '';
    if (!this.valid.has(token)) {
      call.answered = this.expired.has(token) ? 42001 : 40014;
      const errmsg = call.answered === 42001 ? 'access_token expired' : 'invalid access_token';
      return send(res, 200, { errcode: call.answered, errmsg });
    }
    if (this.refusedIp !== undefined) {
      call.answered = 60020;
      const errmsg = `not allow to access from your ip, hint: [${Math.floor(Date.now() / 1000)}-fake], from ip: ${this.refusedIp}, more info at https://open.work.weixin.qq.com/devtool/query?e=60020`;
      return send(res, 200, { errcode: 60020, errmsg });
    }
    switch (api) {
      case 'agent/get':
        return this.agentGet(query, res, call);
      case 'message/send':
        return this.messageSend(call, res);
      case 'media/upload':
        return this.mediaUpload(req, raw, query, res);
      case 'media/get':
        return this.mediaGet(query, res, call);
      default:
        call.answered = 404;
        return send(res, 404, { errcode: 404, errmsg: `unknown api ${api}` });
    }
  }

  private periodicReset(api: string): Fault | undefined {
    const reset = this.resets.get(api);
    if (!reset) return undefined;
    reset.seen += 1;
    return reset.seen % reset.every === 0 ? { cut: 'reset' } : undefined;
  }

  private getToken(query: Record<string, string>, res: ServerResponse, call: RecordedCall): void {
    if (query.corpid !== this.options.corpId) {
      call.answered = 40013;
      return send(res, 200, { errcode: 40013, errmsg: 'invalid corpid' });
    }
    if (query.corpsecret !== this.options.secret) {
      call.answered = 40001;
      return send(res, 200, { errcode: 40001, errmsg: 'invalid credential' });
    }
    const token = `FAKE_ACCESS_TOKEN_${++this.counter}_${Math.random().toString(36).slice(2)}`;
    this.valid.add(token);
    this.issuedTokens.push(token);
    send(res, 200, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.options.expiresIn ?? 7200 });
  }

  /** agent/get: the app's details (a read that needs a trusted IP, sends nothing). */
  private agentGet(query: Record<string, string>, res: ServerResponse, call: RecordedCall): void {
    const agentId = query.agentid ?? '';
    if (!/^\d+$/.test(agentId) || (this.options.agentId !== undefined && agentId !== this.options.agentId)) {
      call.answered = 40056;
      return send(res, 200, { errcode: 40056, errmsg: 'invalid agentid' });
    }
    send(res, 200, { errcode: 0, errmsg: 'ok', agentid: Number(agentId), name: this.options.agentName ?? 'Test App', close: 0, redirect_domain: '', report_location_flag: 0, isreportenter: 0, home_url: '' });
  }

  private messageSend(call: RecordedCall, res: ServerResponse): void {
    const body = call.json as Record<string, unknown> | undefined;
    const type = body?.msgtype;
    if (!body || typeof type !== 'string' || typeof body.touser !== 'string' || body[type] === undefined) {
      call.answered = 40008;
      return send(res, 200, { errcode: 40008, errmsg: 'invalid message type' });
    }
    const content = (body[type] as { content?: unknown }).content;
    if ((type === 'text' || type === 'markdown') && (typeof content !== 'string' || content === '')) {
      call.answered = 44004;
      return send(res, 200, { errcode: 44004, errmsg: 'empty content' });
    }
    if (typeof content === 'string' && Buffer.byteLength(content) > 2048) {
      call.answered = 45002;
      return send(res, 200, { errcode: 45002, errmsg: 'content size out of limit' });
    }
    this.sent.push(body);
    this.sentArrivals.notify();
    send(res, 200, { errcode: 0, errmsg: 'ok', msgid: `MSG_${this.sent.length}` });
  }

  private async mediaUpload(req: IncomingMessage, raw: Buffer, query: Record<string, string>, res: ServerResponse): Promise<void> {
    // Parse the multipart body with the platform's own parser (undici), as a server would.
    const request = new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: raw });
    const form = await request.formData();
    const file = form.get('media');
    if (!file || typeof file === 'string') return send(res, 200, { errcode: 41001, errmsg: 'missing media field' });
    const mediaId = `MEDIA_UP_${++this.counter}`;
    this.uploads.push({ mediaId, type: query.type ?? '', filename: file.name, contentType: file.type, data: Buffer.from(await file.arrayBuffer()) });
    send(res, 200, { errcode: 0, errmsg: 'ok', type: query.type, media_id: mediaId, created_at: String(Math.floor(Date.now() / 1000)) });
  }

  private mediaGet(query: Record<string, string>, res: ServerResponse, call: RecordedCall): void {
    const media = this.media.get(query.media_id ?? '');
    if (!media) {
      call.answered = 40007;
      return send(res, 200, { errcode: 40007, errmsg: 'invalid media_id' });
    }
    res.writeHead(200, {
      'content-type': media.contentType,
      'content-length': media.data.length,
      'content-disposition': `attachment; filename="${media.filename}"`,
    });
    res.end(media.data);
  }
}

/** The JSON each response carried, for `RecordedCall.response`. */
const answers = new WeakMap<ServerResponse, unknown>();

function send(res: ServerResponse, status: number, body: unknown): void {
  answers.set(res, body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
