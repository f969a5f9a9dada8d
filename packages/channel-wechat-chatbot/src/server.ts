import type { Logger, Operations } from '@wecom-bot/core';
import { Router } from '@koa/router';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { RequestError, type HttpAnswer } from './http-answer.js';

type Query = Record<string, string | string[] | undefined>;
type Headers = Record<string, string | string[] | undefined>;

/** The three hand-over styles, each behind its own path. */
export interface ChatbotRoutes {
  skillPath: string;
  apiPath: string;
  kefuPath: string;
  /** `receivedAt` (ms) lets the deadline count from the request's arrival. */
  skill(body: string, receivedAt: number): Promise<HttpAnswer>;
  legacy(query: Query, headers: Headers, receivedAt: number): Promise<HttpAnswer>;
  kefu(body: string): Promise<HttpAnswer>;
}

/** Bodies are small JSON or base64 texts; anything bigger is refused before it is read. */
export const BODY_LIMIT = '256kb';

/**
 * The Koa app serving all three modes, and with `ops` the ops paths (GET /healthz, /readyz,
 * /metrics). A bad request gets a 4xx in its mode's error shape and one log line (and counts
 * as a refused callback); nothing a request does can stop the server.
 */
export function createChatbotApp(routes: ChatbotRoutes, logger: Logger, ops?: Operations, channelName = 'wechat_chatbot'): Koa {
  const app = new Koa();
  app.proxy = true;
  // Koa's own error event would print stacks to stderr; our middleware logs instead.
  app.silent = true;
  const router = new Router();
  const refused = () => ops?.metrics.callback(channelName, 'refused');

  if (ops) {
    app.use(async (ctx, next) => {
      // Answered on the raw response, outside Koa.
      if (ops.serve(ctx.req, ctx.res)) ctx.respond = false;
      else await next();
    });
  }

  router.post(routes.skillPath, async (ctx) => answer(ctx, await routes.skill(await readBody(ctx.req), Date.now())));
  router.get(routes.apiPath, async (ctx) => answer(ctx, await routes.legacy(ctx.query, ctx.headers, Date.now())));
  router.post(routes.kefuPath, async (ctx) => answer(ctx, await routes.kefu(await readBody(ctx.req))));

  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        logger.warn({ method: ctx.method, path: ctx.path }, `no mode is served at ${ctx.method} ${ctx.path}: skill API is POST ${routes.skillPath}, legacy API is GET ${routes.apiPath}, customer service is POST ${routes.kefuPath}`);
        ctx.status = 404;
        ctx.body = { error: 'unknown path' };
      } else if (ctx.status === 405) {
        logger.warn({ method: ctx.method, path: ctx.path }, `${ctx.method} is not accepted at ${ctx.path} (allowed: ${String(ctx.response.get('Allow'))})`);
        ctx.body = { error: 'method not allowed' };
      }
    } catch (error) {
      if (error instanceof RequestError) {
        logger.warn({ path: ctx.path, status: error.status }, error.message);
        refused();
        ctx.status = error.status;
        ctx.body = error.body;
        return;
      }
      const status = (error as { status?: number; expose?: boolean }).expose ? Number((error as { status?: number }).status) : 500;
      logger[status >= 500 ? 'error' : 'warn']({ err: error, path: ctx.path, status }, 'request failed');
      if (status < 500) refused();
      ctx.status = status;
      ctx.body = { error: status === 413 ? 'body too large' : status >= 500 ? 'internal error' : 'bad request' };
    }
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

function readBody(req: NodeJS.ReadableStream & { headers: Headers }): Promise<string> {
  return getRawBody(req as never, { limit: BODY_LIMIT, encoding: 'utf8', length: req.headers['content-length'] as string | undefined });
}

function answer(ctx: Koa.Context, reply: HttpAnswer): void {
  ctx.status = reply.status;
  ctx.body = reply.body;
}
