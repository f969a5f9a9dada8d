import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Logger, SecretRegistry } from '@wecom-bot/core';
import { TOKEN_ERRCODES, WecomApiError, WecomErrcode, untrustedIpFrom, type WecomApiFailure } from './errors.js';
import {
  MEDIA_MAX_BYTES,
  type DownloadedMedia,
  type MediaType,
  type NewsArticleBody,
  type OutboundMessage,
  type SendResult,
} from './messages.js';
import { readLimited } from '@wecom-bot/core';
import { JsonTransport, TransportFailure } from './json-transport.js';
import { TokenCache } from './token-cache.js';

export interface WecomApiClientOptions {
  /** e.g. https://qyapi.weixin.qq.com */
  baseUrl: string;
  corpId: string;
  secret: string;
  agentId: string;
  logger: Logger;
  /** Access tokens learned at run time are added here, so no log line shows them. */
  secrets?: SecretRegistry;
  /** Retries after busy/rate-limit errcodes, 5xx, network failures of reads and resets before an answer. Default 3. */
  maxRetries?: number;
  /** First backoff delay; doubles each retry. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Per-request time limit. Default 15 s. */
  requestTimeoutMs?: number;
  tokenRefreshMarginMs?: number;
}

/** A JSON text, or a multipart form (media upload). */
interface RequestBody {
  body: string | FormData;
}

interface CallSpec {
  api: string;
  method: 'GET' | 'POST';
  query?: Record<string, string>;
  /** Called per attempt: a FormData is consumed by the request that sends it. */
  makeBody?: () => RequestBody;
  /** Repeating a non-idempotent POST after a network failure could send a message twice. */
  idempotent: boolean;
}

type JsonBody = { errcode?: number; errmsg?: string } & Record<string, unknown>;

/**
 * Requests to the WeCom API in flight at once; more wait their turn. Each in-flight request
 * holds a connection: a burst of replies would otherwise open one connection (a TLS handshake)
 * per reply, where a few kept-alive ones serve them all.
 */
export const API_CONCURRENCY = 32;

/**
 * The WeCom server API for a self-built app: access token, message/send, media upload and
 * download. Token errors get one refresh and retry; busy, rate limits and 5xx get a bounded
 * backoff; 60020 says which IP to trust. Nothing loops for ever and nothing waits for ever.
 */
export class WecomApiClient {
  private readonly base: string;
  private readonly tokens: TokenCache;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly inFlight: LimitFunction = pLimit(API_CONCURRENCY);
  private readonly json: JsonTransport;

  constructor(private readonly options: WecomApiClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.json = new JsonTransport(this.base, API_CONCURRENCY);
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
    this.tokens = new TokenCache(() => this.issueToken(), { marginMs: options.tokenRefreshMarginMs });
    options.secrets?.add(options.secret);
  }

  /** A valid access token (cached; one gettoken at a time). */
  getAccessToken(): Promise<string> {
    return this.tokens.get();
  }

  /** POST message/send to one member. */
  async sendMessage(touser: string, message: OutboundMessage): Promise<SendResult> {
    const json = JSON.stringify({ touser, agentid: Number(this.options.agentId), ...message });
    const makeBody = () => ({ body: json });
    const body = await this.authed({ api: 'message/send', method: 'POST', makeBody, idempotent: false });
    if (typeof body.invaliduser === 'string' && body.invaliduser !== '') {
      this.options.logger.warn({ invaliduser: body.invaliduser }, "WeCom could not deliver to these members (not in the app's visible range?)");
    }
    return { msgid: asString(body.msgid), invaliduser: asString(body.invaliduser) };
  }

  sendText(touser: string, content: string): Promise<SendResult> {
    return this.sendMessage(touser, { msgtype: 'text', text: { content } });
  }

  sendMarkdown(touser: string, content: string): Promise<SendResult> {
    return this.sendMessage(touser, { msgtype: 'markdown', markdown: { content } });
  }

  sendMedia(touser: string, type: 'image' | 'voice' | 'file', mediaId: string): Promise<SendResult> {
    const media = { media_id: mediaId };
    if (type === 'image') return this.sendMessage(touser, { msgtype: 'image', image: media });
    if (type === 'voice') return this.sendMessage(touser, { msgtype: 'voice', voice: media });
    return this.sendMessage(touser, { msgtype: 'file', file: media });
  }

  sendVideo(touser: string, mediaId: string, title?: string, description?: string): Promise<SendResult> {
    return this.sendMessage(touser, { msgtype: 'video', video: { media_id: mediaId, title, description } });
  }

  sendNews(touser: string, articles: NewsArticleBody[]): Promise<SendResult> {
    return this.sendMessage(touser, { msgtype: 'news', news: { articles } });
  }

  /** media/upload (multipart field "media"); returns the media_id, valid for 3 days. */
  async uploadMedia(type: MediaType, media: { data: Buffer; filename: string; mimeType?: string }): Promise<string> {
    if (media.data.length === 0) throw new RangeError(`cannot upload an empty ${type}`);
    if (media.data.length > MEDIA_MAX_BYTES[type]) {
      throw new RangeError(`${type} of ${media.data.length} bytes exceeds WeCom's ${MEDIA_MAX_BYTES[type]}-byte limit`);
    }
    const body = await this.authed({
      api: 'media/upload',
      method: 'POST',
      query: { type },
      idempotent: true,
      makeBody: () => {
        const form = new FormData();
        const blob = new Blob([new Uint8Array(media.data)], { type: media.mimeType ?? 'application/octet-stream' });
        form.append('media', blob, media.filename);
        return { body: form };
      },
    });
    const mediaId = asString(body.media_id);
    if (!mediaId) throw new WecomApiError('media/upload', 'errcode', 0, 'the answer carried no media_id');
    return mediaId;
  }

  /** media/get: the bytes of an inbound media id (voice arrives as AMR). */
  async getMedia(mediaId: string, maxBytes = MEDIA_MAX_BYTES.file): Promise<DownloadedMedia> {
    return this.withTokenRetry('media/get', (token) =>
      this.retrying('media/get', true, async () => {
        const response = await this.fetch('media/get', 'GET', { access_token: token, media_id: mediaId });
        const contentType = response.headers.get('content-type') ?? '';
        // Errors come back as a JSON body with a 200.
        if (/json|text\/plain/i.test(contentType)) {
          this.checkJson('media/get', await this.text('media/get', response), response.status);
          throw new WecomApiError('media/get', 'http', undefined, 'answered JSON without an error, and no media', response.status);
        }
        if (response.status >= 400) throw await httpError('media/get', response);
        const data = await readLimited(response, maxBytes, 'the downloaded media').catch((error: unknown) => {
          throw error instanceof RangeError ? error : transportError('media/get', this.base, error, 'in-answer');
        });
        const filename = /filename="?([^";]+)"?/i.exec(response.headers.get('content-disposition') ?? '')?.[1];
        return { data, contentType, filename };
      }),
    );
  }

  private async issueToken(): Promise<{ token: string; expiresInSeconds: number }> {
    const body = await this.retrying('gettoken', true, async () => {
      const answer = await this.callJson('gettoken', 'GET', { corpid: this.options.corpId, corpsecret: this.options.secret });
      return this.checkJson('gettoken', answer.text, answer.status);
    });
    const token = asString(body.access_token);
    if (!token) throw new WecomApiError('gettoken', 'errcode', 0, 'the answer carried no access_token');
    this.options.secrets?.add(token);
    this.options.logger.debug({ expiresIn: body.expires_in }, 'WeCom access token issued');
    return { token, expiresInSeconds: Number(body.expires_in ?? 7200) };
  }

  private authed(spec: CallSpec): Promise<JsonBody> {
    return this.withTokenRetry(spec.api, (token) =>
      this.retrying(spec.api, spec.idempotent, async () => {
        const query = { ...spec.query, access_token: token };
        const payload = spec.makeBody?.().body;
        if (payload instanceof FormData) {
          const response = await this.fetch(spec.api, spec.method, query, { body: payload });
          return this.checkJson(spec.api, await this.text(spec.api, response), response.status);
        }
        const answer = await this.callJson(spec.api, spec.method, query, payload);
        return this.checkJson(spec.api, answer.text, answer.status);
      }),
    );
  }

  /** One forced token refresh and retry on 40014/42001; a second refusal is the caller's error. */
  private async withTokenRetry<T>(api: string, attempt: (token: string) => Promise<T>): Promise<T> {
    const token = await this.tokens.get();
    try {
      return await attempt(token);
    } catch (error) {
      if (!(error instanceof WecomApiError) || error.errcode === undefined || !TOKEN_ERRCODES.has(error.errcode)) throw error;
      this.options.logger.info({ api, errcode: error.errcode }, 'WeCom refused the access token; fetching a new one and retrying once');
      return attempt(await this.tokens.refresh(token));
    }
  }

  /** Bounded exponential backoff for busy, rate limits, 5xx (and network failures when idempotent). */
  private async retrying<T>(api: string, idempotent: boolean, once: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.inFlight(once);
      } catch (error) {
        // A send that broke off after it left may have been delivered: repeating it could double
        // it. One that never connected, or was reset before any answer, is repeated (see `reset`).
        const retryable = error instanceof WecomApiError && error.retryable && (idempotent || error.failure !== 'network');
        if (!retryable || retry >= this.maxRetries) throw error;
        const delayMs = this.retryBaseDelayMs * 2 ** retry;
        this.options.logger.warn({ api, retry: retry + 1, of: this.maxRetries, delayMs, reason: error.message }, 'WeCom call failed; retrying');
        await sleep(delayMs);
      }
    }
  }

  /** A JSON call on the kept-alive connections (everything but media upload and download). */
  private async callJson(api: string, method: 'GET' | 'POST', query: Record<string, string>, body?: string) {
    try {
      return await this.json.call(this.url(api, query), method, body, this.requestTimeoutMs);
    } catch (error) {
      if (!(error instanceof TransportFailure)) throw error;
      throw new WecomApiError(api, failureOf(error.code, error.syscall, error.when), undefined, `could not reach ${this.base}: ${error.message}`);
    }
  }

  private url(api: string, query: Record<string, string>): URL {
    const url = new URL(`${this.base}/cgi-bin/${api}`);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url;
  }

  /** Media upload (multipart) and download (streamed, bounded): fetch. */
  private async fetch(api: string, method: 'GET' | 'POST', query: Record<string, string>, body?: RequestBody): Promise<Response> {
    const url = this.url(api, query);
    const init: RequestInit = { method, signal: AbortSignal.timeout(this.requestTimeoutMs) };
    // For FormData, fetch writes the multipart content type with its boundary.
    if (body) init.body = body.body;
    try {
      return await fetch(url, init);
    } catch (error) {
      throw transportError(api, this.base, error, 'before-answer');
    }
  }

  /** The body as text; a body that breaks off is a network failure like any other. */
  private async text(api: string, response: Response): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw transportError(api, this.base, error, 'in-answer');
    }
  }

  private checkJson(api: string, text: string, status: number): JsonBody {
    if (status >= 500) throw new WecomApiError(api, 'http', undefined, `HTTP ${status}`, status);
    let body: JsonBody;
    try {
      body = JSON.parse(text) as JsonBody;
    } catch {
      throw new WecomApiError(api, 'http', undefined, `HTTP ${status} with a body that is not JSON`, status);
    }
    if (status >= 400 && body.errcode === undefined) throw new WecomApiError(api, 'http', undefined, `HTTP ${status}`, status);
    const errcode = Number(body.errcode ?? 0);
    if (errcode === 0) return body;
    const errmsg = String(body.errmsg ?? '');
    if (errcode === WecomErrcode.UntrustedIp) {
      const ip = untrustedIpFrom(errmsg) ?? 'unknown (see errmsg)';
      this.options.logger.error({ api, errcode, ip }, `WeCom refused the call from IP ${ip}: add ${ip} to the app's Trusted IPs in the WeCom admin console`);
    }
    throw new WecomApiError(api, 'errcode', errcode, errmsg, status);
  }
}

/** Codes of a connection that was never made: the request did not leave, so any call may be repeated. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/**
 * A reset before any byte of an answer: a connection dropped by a load balancer or the server
 * before it read the request. A server that acted on a request answers it; a cut after the
 * answer began, a close without a reset, and a time-out stay unrepeated ('network').
 */
const RESET = new Set(['ECONNRESET', 'EPIPE']);

/**
 * A fetch failure as a WecomApiError naming the host and the reason, never the URL (its query
 * holds the access token or the secret), and keeping no `cause` that could carry it.
 */
function transportError(api: string, base: string, error: unknown, when: 'before-answer' | 'in-answer'): WecomApiError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown; syscall?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const reason = (typeof cause?.message === 'string' && cause.message) || code || (error instanceof Error ? error.message : String(error));
  return new WecomApiError(api, failureOf(code, cause?.syscall, when), undefined, `could not reach ${base}: ${reason}`);
}

function failureOf(code: string | undefined, syscall: unknown, when: 'before-answer' | 'in-answer'): WecomApiFailure {
  if (code === undefined) return 'network';
  // A reset while connecting (syscall "connect"): nothing was written yet.
  if (NOT_CONNECTED.has(code) || (syscall === 'connect' && RESET.has(code))) return 'connect';
  return when === 'before-answer' && RESET.has(code) ? 'reset' : 'network';
}

async function httpError(api: string, response: Response): Promise<WecomApiError> {
  await response.body?.cancel().catch(() => undefined);
  return new WecomApiError(api, 'http', undefined, `HTTP ${response.status}`, response.status);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
