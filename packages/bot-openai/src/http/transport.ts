import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { ApiConnectionError } from './api-errors.js';

/** One request to the API; `path` follows the base URL's own ("/chat/completions"), `body` is sent as is. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** The answer once its headers are in; the body is read as it arrives (a stream of Server-Sent Events too). */
export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Left unread to its end, the body's connection is closed. */
  body: Readable;
}

/** undici is loaded only when a proxy is set: it is large, and start-up would pay for it always. */
export const loadUndici = () => createRequire(import.meta.url)('undici') as typeof import('undici');

/**
 * HTTP to the OpenAI-compatible API: node:http(s) with kept-alive connections (a chat through
 * the SDK's fetch costs several times the CPU, in undici's fetch and web streams), or, with a
 * proxy, undici's request through its ProxyAgent (CONNECT, as squid or clash expect).
 */
export class ApiTransport {
  readonly send: (request: ApiRequest) => Promise<ApiResponse>;

  constructor(base: string, proxy: string) {
    const url = new URL(base);
    const prefix = url.pathname.replace(/\/+$/, '');
    if (proxy) {
      const { ProxyAgent, request } = loadUndici();
      const dispatcher = new ProxyAgent(proxy);
      this.send = (r) => viaUndici(request, dispatcher, `${url.origin}${prefix}`, r);
      return;
    }
    const https = url.protocol === 'https:';
    // No cap on connections (as fetch): a burst of chats is a burst of long requests. Idle ones
    // close after 4 s (or sooner when the server says so in Keep-Alive), before a server drops
    // them; they never hold the process open.
    const agent = https ? new HttpsAgent({ keepAlive: true, timeout: 4000 }) : new HttpAgent({ keepAlive: true, timeout: 4000 });
    // Parsed once, not a URL for every request (node:http would take it apart each time).
    const target = { protocol: url.protocol, hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port || undefined, agent };
    const send = https ? httpsRequest : httpRequest;
    this.send = (r) => viaNodeHttp(send, target, prefix, r);
  }
}

function viaNodeHttp(send: typeof httpRequest, target: object, prefix: string, r: ApiRequest): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const headers = r.body === undefined ? r.headers : { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) };
    const req = send({ ...target, method: r.method, path: `${prefix}${r.path}`, headers, signal: r.signal }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
    });
    // After the headers, a failure reaches the reader through the body's own error.
    req.on('error', (error) => reject(r.signal.aborted ? r.signal.reason : new ApiConnectionError(`no answer: ${error.message}`, { cause: error })));
    req.end(r.body);
  });
}

async function viaUndici(request: typeof import('undici').request, dispatcher: import('undici').Dispatcher, base: string, r: ApiRequest): Promise<ApiResponse> {
  try {
    const res = await request(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body, signal: r.signal, dispatcher });
    return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, body: res.body };
  } catch (error) {
    if (r.signal.aborted) throw r.signal.reason;
    throw new ApiConnectionError(`no answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
