import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger, Operations } from '@wecom-bot/core';
import { WxCryptoError, type WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { answer } from './answer.js';
import { callbackRoute } from './callback-route.js';
import { CHANNEL_NAME } from './inbound/to-context.js';
import { Refusal } from './refusal.js';
import { XmlInputError } from './xml/errors.js';
import type { WecomInboundMessage } from './xml/parse-message.js';

export interface CallbackAppOptions {
  path: string;
  crypt: WXBizMsgCrypt;
  maxBodyBytes: number;
  logger: Logger;
  /** Take the client address from X-Forwarded-For (the entry our one reverse proxy appended); off, the peer address. */
  trustProxy: boolean;
  /** Callbacks whose timestamp is further than this from `now` are refused as replays. */
  timestampWindowMs?: number;
  now?: () => number;
  /** Handles one decrypted message; resolves to the plaintext XML of a passive reply, or undefined. */
  onMessage(message: WecomInboundMessage): Promise<string | undefined>;
  /** /healthz, /readyz and /metrics, and where refused callbacks are counted. */
  ops?: Operations;
}

/**
 * The server WeCom talks to. The callback path is its hot route, served straight on node:http
 * before Koa: a callback is verified, decrypted and acknowledged in a few tens of
 * microseconds, and Koa's context, router and body parser would cost more than all of that.
 * The ops paths (/healthz, /readyz, /metrics) come next; everything else (unknown paths) is a
 * Koa app, loaded on the first such request. Bad input gets a 4xx and a log line, never a crash.
 */
export function createCallbackListener(options: CallbackAppOptions): RequestListener {
  const { logger, path } = options;
  const ipOf = (req: IncomingMessage) => clientIp(req, options.trustProxy);
  const route = callbackRoute({
    ...options,
    onVerified: (req) => logger.info({ ip: ipOf(req) }, 'WeCom verified the callback URL'),
  });
  // Koa is loaded on the first request to another path (a scanner, a wrong URL in the console), not at start-up.
  let koa: Promise<RequestListener> | undefined;
  const otherPath: RequestListener = (req, res) => {
    koa ??= import('./other-paths-app.js').then(({ createOtherPathsApp }) => createOtherPathsApp(options).callback());
    void koa.then(
      (serve) => serve(req, res),
      (error: unknown) => {
        logger.error({ err: error }, 'could not load the server for paths other than the callback');
        res.writeHead(500).end();
      },
    );
  };

  return (req, res) => {
    if (options.ops?.serve(req, res)) return;
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname !== path && pathname !== `${path}/`) {
      otherPath(req, res);
      return;
    }
    route(req, res, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))).catch((error: unknown) => {
      if (refuse(req, res, pathname, ipOf(req), error, logger) < 500) options.ops?.metrics.callback(CHANNEL_NAME, 'refused');
    });
  };
}

/** Answers a refused callback with its status and reason (500 says nothing more), and logs it; the status. */
function refuse(req: IncomingMessage, res: ServerResponse, path: string, ip: string, error: unknown, logger: Logger): number {
  const { status, message } = classify(error);
  const level = status >= 500 ? 'error' : error instanceof Refusal ? error.level : 'warn';
  logger[level]({ method: req.method, path, ip, status, err: status >= 500 ? error : undefined, code: (error as WxCryptoError).code }, `callback refused: ${message}`);
  answer(res, status, 'text/plain; charset=utf-8', status >= 500 ? 'internal error' : message);
  return status;
}

function classify(error: unknown): { status: number; message: string } {
  if (error instanceof Refusal) return { status: error.status, message: error.message };
  if (error instanceof WxCryptoError) return { status: error.httpStatus, message: `${error.message} (WXBizMsgCrypt ${error.code})` };
  if (error instanceof XmlInputError) return { status: error.httpStatus, message: error.message };
  return { status: 500, message: error instanceof Error ? error.message : String(error) };
}

/** The peer's address, or with `trustProxy` the last X-Forwarded-For entry (the one our proxy appended), as Koa reads it. */
function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = typeof forwarded === 'string' ? forwarded.split(',').pop()?.trim() : undefined;
  return last || req.socket.remoteAddress || '';
}
