import type { Logger } from '@wecom-bot/core';
import Koa from 'koa';
import { unknownPathWarner } from './unknown-path.js';

export interface OtherPathsOptions {
  /** The callback path, named in the warning. */
  path: string;
  logger: Logger;
  trustProxy: boolean;
  now?: () => number;
}

/** Every path but the callback's and the ops paths: 404, and a warning that names the callback path. */
export function createOtherPathsApp(options: OtherPathsOptions): Koa {
  const app = new Koa();
  // X-Forwarded-For is whatever the client wrote unless a proxy we run rewrites it; the last
  // entry is the one that proxy appended, earlier ones are the client's own claims.
  app.proxy = options.trustProxy;
  app.maxIpsCount = 1;
  app.on('error', (error: unknown) => options.logger.error({ err: error }, 'callback server error'));
  const warnUnknownPath = unknownPathWarner(options.logger, options.path, options.now);
  app.use((ctx) => {
    warnUnknownPath(ctx.method, ctx.path, ctx.ip);
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'not found';
  });
  return app;
}
