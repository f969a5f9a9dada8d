import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentMp3 } from './silent-mp3.js';

/** The endpoints the fake speaks; anything else answers 404 with an OpenAI error body. */
export type FakeRoute = 'chat' | 'images' | 'transcriptions' | 'speech' | 'models';

export interface FakeFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** One request as the fake received it. */
export interface FakeRequest {
  route: FakeRoute | 'unknown';
  method: string;
  /** Path without the query, e.g. "/v1/chat/completions". */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Parsed body of JSON requests (chat, images, speech). */
  json?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Parsed body of multipart requests (transcriptions): text fields and files. */
  multipart?: { fields: Record<string, string>; files: Record<string, FakeFile> };
}

/**
 * What the fake answers. Fields that do not apply to the route are ignored; `json`,
 * `error` and `destroy` work on every route.
 */
export interface FakeReply {
  /** HTTP status; 200 unless `error` is set (then 500). */
  status?: number;
  /** Wait this long before answering (the slow mode). */
  delayMs?: number;
  headers?: Record<string, string>;
  /** chat: the assistant's answer, as a completion, or as SSE chunks when the request asked for `stream`. */
  content?: string;
  /** chat with stream: the exact content pieces to send (default: the content cut in pieces of 4 characters). */
  chunks?: string[];
  /** chat with stream: stop after the first chunk and keep the connection open (a stalled stream). */
  stall?: boolean;
  /** chat with stream: pause this long between chunks, as a model writing does. */
  chunkDelayMs?: number;
  /** transcriptions: the text. */
  text?: string;
  /** speech: the audio bytes (default: real silent MP3 from `silentMp3(1)`). */
  audio?: Buffer;
  /** images: an URL answer, or base64 image data. */
  imageUrl?: string;
  b64Json?: string;
  /** Any JSON body, sent as is. */
  json?: unknown;
  /** An OpenAI error body `{error:{message,type,code,param}}`. */
  error?: { message: string; type?: string; code?: string | null; param?: string | null };
  /** Cut the connection without an answer. */
  destroy?: boolean;
}

export type FakeHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAIOptions {
  /** Handlers replacing the default answer of a route (used when no queued reply is waiting). */
  handlers?: Partial<Record<FakeRoute, FakeHandler>>;
  /** When set, requests without `Authorization: Bearer <apiKey>` get 401 invalid_api_key. */
  apiKey?: string;
  /** The ids GET /v1/models lists. Default: FAKE_MODELS. */
  models?: string[];
}

export interface FakeOpenAI {
  /** e.g. "http://127.0.0.1:40123/v1": give it to the client as baseURL / open_ai_api_base. */
  baseURL: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** Requests of one route. */
  requestsTo(route: FakeRoute): FakeRequest[];
  /** Queue replies for the next requests to `route`, first in first out; then defaults resume. */
  setResponse(route: FakeRoute, ...replies: FakeReply[]): void;
  /** Replace the default handler of a route. */
  setHandler(route: FakeRoute, handler: FakeHandler): void;
  close(): Promise<void>;
}

/** OpenAI's shape for an error answer, for building `FakeReply`s. */
export function openAIError(status: number, message: string, type = 'server_error', code: string | null = null, headers?: Record<string, string>): FakeReply {
  return { status, error: { message, type, code, param: null }, ...(headers ? { headers } : {}) };
}

/** The models the fake lists by default. */
export const FAKE_MODELS = ['gpt-4o-mini', 'gpt-3.5-turbo', 'whisper-1', 'tts-1', 'dall-e-3'];

/**
 * Default answers: chat echoes the last user message as `echo: …` (so history can be
 * asserted from the requests), images return an URL (or b64 when asked), transcriptions
 * return "transcribed <filename>", speech returns real silent MP3.
 */
const defaults: Record<FakeRoute, FakeHandler> = {
  chat: (req) => {
    const messages = (req.json?.messages ?? []) as Array<{ role: string; content: unknown }>;
    const lastUser = [...messages].reverse().find((m) => m.role === 'user');
    return { content: `echo: ${textOf(lastUser?.content)}` };
  },
  images: (req) =>
    req.json?.response_format === 'b64_json' ? { b64Json: silentPngBase64 } : { imageUrl: `https://images.example/${encodeURIComponent(String(req.json?.prompt ?? ''))}.png` },
  transcriptions: (req) => ({ text: `transcribed ${req.multipart?.files.file?.filename ?? '?'}` }),
  speech: () => ({ audio: silentMp3(1) }),
  models: () => ({ json: modelList(FAKE_MODELS) }),
};

/** GET /v1/models as OpenAI answers it. */
function modelList(ids: string[]): unknown {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })) };
}

/** A message's words: its string, or the text parts of vision content (pictures left out). */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.flatMap((part: { type?: string; text?: string }) => (part.type === 'text' && part.text ? [part.text] : [])).join('\n');
}

/** A 1×1 transparent PNG. */
const silentPngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Starts a loopback HTTP server that speaks enough of the OpenAI API for tests. */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: FakeRequest[] = [];
  const queues = new Map<FakeRoute, FakeReply[]>();
  const listed = options.models ? { models: () => ({ json: modelList(options.models!) }) } : {};
  const handlers = new Map<FakeRoute, FakeHandler>(Object.entries({ ...defaults, ...listed, ...options.handlers }) as Array<[FakeRoute, FakeHandler]>);
  const open = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `fake server failed: ${String(error)}`, type: 'server_error', code: null } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await buffer(req);
    const request = await parseRequest(req, body);
    requests.push(request);
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendReply(res, request, openAIError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
    }
    if (request.route === 'unknown') return sendReply(res, request, openAIError(404, `Unknown path ${request.path}`, 'invalid_request_error', 'unknown_url'));
    const queued = queues.get(request.route)?.shift();
    const reply = queued ?? (await handlers.get(request.route)!(request));
    return sendReply(res, request, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    requestsTo: (route) => requests.filter((r) => r.route === route),
    setResponse(route, ...replies) {
      queues.set(route, [...(queues.get(route) ?? []), ...replies]);
    },
    setHandler(route, handler) {
      handlers.set(route, handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function routeOf(path: string): FakeRoute | 'unknown' {
  if (path.endsWith('/chat/completions')) return 'chat';
  if (path.endsWith('/images/generations')) return 'images';
  if (path.endsWith('/audio/transcriptions')) return 'transcriptions';
  if (path.endsWith('/audio/speech')) return 'speech';
  // Only under /v1, as OpenAI serves it: a base URL without /v1 meets the 404 it would.
  if (path === '/v1/models' || path === '/v1/models/') return 'models';
  return 'unknown';
}

async function parseRequest(req: IncomingMessage, body: Buffer): Promise<FakeRequest> {
  const path = (req.url ?? '/').split('?')[0]!;
  const request: FakeRequest = { route: routeOf(path), method: req.method ?? 'GET', path, headers: req.headers, body };
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json') && body.length > 0) request.json = JSON.parse(body.toString('utf8'));
  if (type.includes('multipart/form-data')) request.multipart = await parseMultipart(type, body);
  return request;
}

/** Multipart parsing by the platform's own (undici) FormData parser, not by hand. */
async function parseMultipart(contentType: string, body: Buffer): Promise<NonNullable<FakeRequest['multipart']>> {
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  const fields: Record<string, string> = {};
  const files: Record<string, FakeFile> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = value;
    else files[name] = { filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) };
  }
  return { fields, files };
}

async function sendReply(res: ServerResponse, request: FakeRequest, reply: FakeReply): Promise<void> {
  if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
  if (reply.destroy) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.error) return sendJson(res, reply.status ?? 500, { error: { code: null, param: null, type: 'server_error', ...reply.error } });
  if (reply.json !== undefined) return sendJson(res, reply.status ?? 200, reply.json);
  const status = reply.status ?? 200;
  switch (request.route) {
    case 'chat':
      return request.json?.stream ? sendStream(res, request, reply) : sendJson(res, status, completion(request, reply.content ?? ''));
    case 'images':
      return sendJson(res, status, {
        created: now(),
        data: [reply.b64Json !== undefined ? { b64_json: reply.b64Json } : { url: reply.imageUrl ?? 'https://images.example/image.png', revised_prompt: request.json?.prompt }],
      });
    case 'transcriptions':
      // response_format "text" answers plain text; json (the default) answers {text}.
      if (request.multipart?.fields.response_format === 'text') {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(reply.text ?? '');
        return;
      }
      return sendJson(res, status, { text: reply.text ?? '' });
    case 'speech': {
      const audio = reply.audio ?? silentMp3(1);
      res.writeHead(status, { 'content-type': 'audio/mpeg', 'content-length': audio.length });
      res.end(audio);
      return;
    }
    default:
      return sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error', code: null } });
  }
}

function completion(request: FakeRequest, content: string): unknown {
  const promptChars = JSON.stringify(request.json?.messages ?? []).length;
  return {
    id: `chatcmpl-fake-${now()}`,
    object: 'chat.completion',
    created: now(),
    model: request.json?.model ?? 'unknown',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(content.length / 4), total_tokens: Math.ceil((promptChars + content.length) / 4) },
  };
}

async function sendStream(res: ServerResponse, request: FakeRequest, reply: FakeReply): Promise<void> {
  res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const content = reply.content ?? '';
  const pieces = reply.chunks ?? (content.match(/[\s\S]{1,4}/g) ?? []);
  const base = { id: `chatcmpl-fake-${now()}`, object: 'chat.completion.chunk', created: now(), model: request.json?.model ?? 'unknown' };
  const event = (delta: object, finish: string | null) => `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  res.write(event({ role: 'assistant', content: '' }, null));
  for (const [i, piece] of pieces.entries()) {
    res.write(event({ content: piece }, null));
    if (reply.stall && i === 0) return; // leave the stream hanging; close() ends it
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
  }
  res.write(event({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
