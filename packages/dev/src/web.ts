import { createServer, type Server } from 'node:http';
import { PassThrough } from 'node:stream';
import Router from '@koa/router';
import { listenOn } from '@wecom-bot/core';
import Koa, { type Context as KoaContext } from 'koa';
import getRawBody from 'raw-body';
import type { Hub } from './hub.js';
import type { MediaShelf } from './media.js';
import type { ChatId, EventRequest, FaultName, TextRequest } from './protocol.js';

/** What the page can ask the stand-ins to do. Each resolves once WeCom's part is played. */
export interface PageActions {
  text(chat: ChatId, text: string): Promise<void>;
  /** Audio from the page: WAV from the recorder (or a decoded upload), or AMR as is. */
  voice(chat: ChatId, data: Buffer, format: string): Promise<void>;
  upload(chat: ChatId, data: Buffer, contentType: string, name: string): Promise<void>;
  event(request: EventRequest): Promise<void>;
  fault(name: FaultName): void;
}

export interface PageAssets {
  js: string;
  css: string;
}

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const FAULTS = new Set<string>(['42001', '60020', '45009', '846608']);

/** Raised for a request the page should not have made: answered 400 with the reason. */
class BadRequest extends Error {}

/**
 * The page and its API, served by the dev server's own process: the page's HTML, its bundle,
 * Server-Sent Events with every bubble and panel line, the actions, and the media.
 */
export async function servePage(options: { hub: Hub; shelf: MediaShelf; actions: PageActions; assets: PageAssets; host: string; port: number }): Promise<{ server: Server; url: string }> {
  const { hub, shelf, actions, assets } = options;
  const app = new Koa();
  app.silent = true;
  const router = new Router();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = error instanceof BadRequest ? 400 : 500;
      ctx.type = 'text/plain';
      ctx.body = error instanceof Error ? error.message : String(error);
    }
  });

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = PAGE;
  });
  router.get('/app.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = assets.js;
  });
  router.get('/app.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.body = assets.css;
  });
  router.get('/api/events', (ctx) => {
    ctx.req.socket.setTimeout(0);
    const stream = new PassThrough();
    ctx.status = 200;
    ctx.body = stream;
    ctx.type = 'text/event-stream';
    ctx.set('cache-control', 'no-cache');
    const stop = hub.listen((event) => stream.write(`data: ${JSON.stringify(event)}\n\n`));
    ctx.req.on('close', () => {
      stop();
      stream.end();
    });
  });
  router.post('/api/chats/:chat/text', async (ctx) => {
    const { text } = (await json(ctx)) as Partial<TextRequest>;
    if (typeof text !== 'string' || text.trim() === '') throw new BadRequest('text must be a non-empty string');
    await actions.text(chatOf(ctx.params.chat), text);
    ctx.status = 204;
  });
  router.post('/api/chats/:chat/voice', async (ctx) => {
    const format = ctx.is('audio/amr') ? 'amr' : ctx.is('audio/wav', 'audio/x-wav', 'audio/wave') ? 'wav' : undefined;
    if (!format) throw new BadRequest('send audio/wav or audio/amr');
    await actions.voice(chatOf(ctx.params.chat), await body(ctx), format);
    ctx.status = 204;
  });
  router.post('/api/chats/:chat/upload', async (ctx) => {
    const name = typeof ctx.query.name === 'string' && ctx.query.name !== '' ? ctx.query.name : 'file';
    await actions.upload(chatOf(ctx.params.chat), await body(ctx), ctx.get('content-type') || 'application/octet-stream', name);
    ctx.status = 204;
  });
  router.post('/api/chats/app/event', async (ctx) => {
    const request = (await json(ctx)) as Partial<EventRequest>;
    if (request.event !== 'enter_agent' && request.event !== 'click') throw new BadRequest('event must be enter_agent or click');
    await actions.event({ event: request.event, key: typeof request.key === 'string' ? request.key : undefined });
    ctx.status = 204;
  });
  router.post('/api/faults/:name', (ctx) => {
    if (!FAULTS.has(ctx.params.name ?? '')) throw new BadRequest(`fault must be one of ${[...FAULTS].join(', ')}`);
    actions.fault(ctx.params.name as FaultName);
    ctx.status = 204;
  });
  router.get('/media/:id', (ctx) => {
    const media = shelf.get(ctx.params.id ?? '');
    if (!media) return; // 404
    ctx.type = media.contentType;
    ctx.set('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(media.name)}`);
    ctx.body = media.data;
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  const server = createServer(app.callback());
  const port = await listenOn(server, { port: options.port, host: options.host, portKey: '--port', what: 'the dev server' });
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return { server, url: `http://${shownHost}:${port}` };
}

function chatOf(value: string | undefined): ChatId {
  if (value === 'app' || value === 'group') return value;
  throw new BadRequest('chat must be app or group');
}

async function body(ctx: KoaContext): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: MAX_UPLOAD_BYTES });
  } catch (error) {
    throw new BadRequest(`could not read the upload (${(error as Error).message}); at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  }
}

async function json(ctx: KoaContext): Promise<unknown> {
  try {
    return JSON.parse((await getRawBody(ctx.req, { limit: 64 * 1024, encoding: 'utf8' })) || '{}') as unknown;
  } catch {
    throw new BadRequest('the body must be JSON');
  }
}

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>wecom-bot dev</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
