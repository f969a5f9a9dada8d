import Router from '@koa/router';
import type { Logger } from '@wecom-bot/core';
import { WxCryptoError, type WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { CALLBACK_TIMESTAMP_WINDOW_MS, checkCallbackTimestamp } from './callback-timestamp.js';
import { Refusal } from './refusal.js';
import { unknownPathWarner } from './unknown-path.js';
import { XmlInputError } from './xml/errors.js';
import { parseEncryptedEnvelope, parseMessage, type WecomInboundMessage } from './xml/parse-message.js';

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
}

/**
 * The callback endpoint WeCom talks to: GET verifies the URL (answers the decrypted echostr),
 * POST carries an encrypted message (answered at once: empty, or an encrypted passive reply),
 * and GET /healthz for load balancers. Bad input gets a 4xx and a log line, never a crash.
 */
export function createCallbackApp(options: CallbackAppOptions): Koa {
  const { crypt, logger } = options;
  const app = new Koa();
  app.silent = true;
  // X-Forwarded-For is whatever the client wrote unless a proxy we run rewrites it; the last
  // entry is the one that proxy appended, earlier ones are the client's own claims.
  app.proxy = options.trustProxy;
  app.maxIpsCount = 1;
  const checkTimestamp = (timestamp: string) =>
    checkCallbackTimestamp(timestamp, options.timestampWindowMs ?? CALLBACK_TIMESTAMP_WINDOW_MS, (options.now ?? Date.now)());
  const router = new Router();

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status, message } = classify(error);
      const level = status >= 500 ? 'error' : error instanceof Refusal ? error.level : 'warn';
      const log = logger[level].bind(logger);
      log({ method: ctx.method, path: ctx.path, ip: ctx.ip, status, err: status >= 500 ? error : undefined, code: (error as WxCryptoError).code }, `callback refused: ${message}`);
      ctx.status = status;
      ctx.type = 'text/plain';
      ctx.body = status >= 500 ? 'internal error' : message;
    }
  });

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get(options.path, (ctx) => {
    const q = queryParams(ctx.query, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
    checkTimestamp(q.timestamp);
    // Koa's query is already URL-decoded, as the signature requires. Form decoding also turns
    // a "+" into a space; base64 has no spaces, so one can only be a "+" that a proxy unescaped.
    const echostr = q.echostr.replaceAll(' ', '+');
    ctx.type = 'text/plain';
    ctx.body = crypt.verifyUrl(q.msg_signature, q.timestamp, q.nonce, echostr);
    logger.info({ ip: ctx.ip }, 'WeCom verified the callback URL');
  });

  router.post(options.path, async (ctx) => {
    const q = queryParams(ctx.query, ['msg_signature', 'timestamp', 'nonce']);
    checkTimestamp(q.timestamp);
    const body = await readBody(ctx.req, ctx.get('content-length'), options.maxBodyBytes);
    // Unauthenticated input gets only the bounded envelope reader; decryptMessage checks the
    // signature before decrypting, so the full XML parser sees only what WeCom signed.
    const envelope = parseEncryptedEnvelope(body);
    const message = parseMessage(crypt.decryptMessage(q.msg_signature, q.timestamp, q.nonce, envelope.encrypt));
    const passive = await options.onMessage(message);
    if (passive === undefined) {
      // 200 with an empty body: received, nothing to say now (WeCom does not retry).
      ctx.status = 200;
      ctx.body = '';
      return;
    }
    ctx.type = 'application/xml';
    ctx.body = crypt.renderEncryptedXml(passive);
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  const warnUnknownPath = unknownPathWarner(logger, options.path, options.now);
  app.use((ctx) => {
    if (ctx.path === options.path || ctx.path === '/healthz') return;
    warnUnknownPath(ctx.method, ctx.path, ctx.ip);
    ctx.status = 404;
    ctx.type = 'text/plain';
    ctx.body = 'not found';
  });
  return app;
}

function queryParams<N extends string>(query: Record<string, string | string[] | undefined>, names: readonly N[]): Record<N, string> {
  const missing = names.filter((name) => typeof query[name] !== 'string' || query[name] === '');
  if (missing.length > 0) throw new Refusal(400, `missing query parameter(s): ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, query[name]])) as Record<N, string>;
}

async function readBody(req: NodeJS.ReadableStream, contentLength: string, limit: number): Promise<string> {
  try {
    return await getRawBody(req as Parameters<typeof getRawBody>[0], { length: contentLength || undefined, limit, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw new Refusal(413, `body larger than ${limit} bytes`);
    if (type === 'request.aborted') throw new Refusal(400, 'the client closed the connection before the body arrived', 'info');
    throw new Refusal(400, `could not read the body (${type ?? (error as Error).message})`);
  }
}

function classify(error: unknown): { status: number; message: string } {
  if (error instanceof Refusal) return { status: error.status, message: error.message };
  if (error instanceof WxCryptoError) return { status: error.httpStatus, message: `${error.message} (WXBizMsgCrypt ${error.code})` };
  if (error instanceof XmlInputError) return { status: error.httpStatus, message: error.message };
  return { status: 500, message: error instanceof Error ? error.message : String(error) };
}
