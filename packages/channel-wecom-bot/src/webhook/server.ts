import Router from '@koa/router';
import type { Logger, Operations } from '@wecom-bot/core';
import { WxCryptoError, type WXBizJsonMsgCrypt } from '@wecom-bot/wx-crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { CHANNEL_NAME } from '../config.js';
import type { WebhookCallback, WebhookReply } from './types.js';

export interface WebhookAppOptions {
  /** Callback path, e.g. /wecombot. */
  path: string;
  /** Built with the bot's Token, EncodingAESKey and receive id "". */
  crypt: WXBizJsonMsgCrypt;
  maxBodyBytes: number;
  logger: Logger;
  /** Answers GET /healthz, /readyz, /metrics and counts refused callbacks; without it, a bare /healthz. */
  ops?: Operations;
  /**
   * One decrypted callback that is not a refresh poll (message or event). Resolves to the
   * passive reply (the first stream frame, a welcome text, a card) or undefined for an empty
   * answer. Answer at once: WeCom's callbacks time out after about 5 s and are then retried,
   * so long work (the model) must run after this resolves.
   */
  onMessage(body: WebhookCallback): Promise<WebhookReply | undefined>;
  /**
   * A refresh poll `{msgtype: "stream", stream: {id}}`: the current cumulative frame of that
   * stream, or undefined when the id is unknown (e.g. after a restart).
   */
  onRefresh(streamId: string, body: WebhookCallback): WebhookReply | undefined | Promise<WebhookReply | undefined>;
}

/** A request we refuse, with the status to answer. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The AI bot's webhook (PROTOCOLS-AIBOT-KF.md §1.1, §1.4): GET verifies the URL, POST carries
 * an encrypted JSON callback answered with an encrypted JSON reply or an empty body, and
 * the ops paths (GET /healthz, /readyz, /metrics) serve load balancers and Prometheus. Bad input gets a 4xx and one warn line (no stack, no
 * secrets); a failing handler gets an empty 200 and an error line, never a 500: WeCom retries
 * what it sees fail, and a retried message would reach a handler that already ran or fails again.
 */
export function createWebhookApp(options: WebhookAppOptions): Koa {
  const { crypt, logger } = options;
  const app = new Koa();
  app.silent = true;
  app.proxy = true;
  const router = new Router();

  const ops = options.ops;
  if (ops) {
    app.use(async (ctx, next) => {
      // Answered on the raw response, outside Koa.
      if (ops.serve(ctx.req, ctx.res)) ctx.respond = false;
      else await next();
    });
  }

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status, message, code } = classify(error);
      if (status < 500) ops?.metrics.callback(CHANNEL_NAME, 'refused');
      const where = { method: ctx.method, path: ctx.path, ip: ctx.ip, status, code };
      if (status >= 500) logger.error({ ...where, err: error }, `AI-bot webhook failed: ${message}`);
      else logger.warn(where, `AI-bot webhook request refused: ${message}`);
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
    // The query is URL-decoded already, as the signature needs. Form decoding turns "+" into a
    // space; base64 has no spaces, so a space can only be a "+" that was not percent-encoded.
    const echostr = q.echostr.replaceAll(' ', '+');
    // Doc 101033: the bare plaintext, no quotes, no BOM, no newline, within 1 s.
    ctx.type = 'text/plain';
    ctx.body = crypt.verifyUrl(q.msg_signature, q.timestamp, q.nonce, echostr);
    logger.info({ ip: ctx.ip }, 'WeCom verified the AI bot webhook URL');
  });

  router.post(options.path, async (ctx) => {
    const q = queryParams(ctx.query, ['msg_signature', 'timestamp', 'nonce']);
    const raw = await readBody(ctx.req, ctx.get('content-length'), options.maxBodyBytes);
    const callback = parseCallback(crypt.decryptMessage(q.msg_signature, q.timestamp, q.nonce, raw));
    // Checked before any handler runs, so a malformed poll is a 400 like any bad input.
    const streamId = callback.msgtype === 'stream' ? streamIdOf(callback) : undefined;
    const reply = await answer(options, callback, streamId);
    const body = reply === undefined ? undefined : seal(options, reply, q.timestamp, q.nonce, callback.msgtype);
    ctx.status = 200;
    if (body === undefined) {
      // "可以选择直接回复空包" (doc 101033): received, nothing to say in this answer.
      ctx.body = '';
      return;
    }
    // What the official demo and Tencent's plugin send; WeCom reads the JSON regardless.
    ctx.type = 'text/plain';
    ctx.body = body;
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** Runs the handler for one callback; a throw is logged and becomes "no reply". */
async function answer(options: WebhookAppOptions, callback: WebhookCallback, streamId: string | undefined): Promise<WebhookReply | undefined> {
  try {
    if (streamId === undefined) return await options.onMessage(callback);
    // An unknown id gets a finished, empty frame so WeCom stops polling it (as Tencent's plugin does).
    return (await options.onRefresh(streamId, callback)) ?? { msgtype: 'stream', stream: { id: streamId, finish: true, content: '' } };
  } catch (error) {
    options.logger.error({ err: error, msgtype: callback.msgtype }, 'AI-bot webhook handler failed; answered an empty 200 (WeCom would only retry it)');
    return undefined;
  }
}

/** Encrypts a reply with the request's timestamp and nonce (the official demo reuses them). */
function seal(options: WebhookAppOptions, reply: WebhookReply, timestamp: string, nonce: string, msgtype: string): string | undefined {
  try {
    const plaintext = JSON.stringify(reply);
    try {
      return options.crypt.renderEncryptedJson(plaintext, timestamp, nonce);
    } catch (error) {
      // A timestamp or nonce the reply format does not allow: sign with fresh ones instead.
      if (!(error instanceof WxCryptoError && error.kind === 'ComputeSignatureError')) throw error;
      return options.crypt.renderEncryptedJson(plaintext);
    }
  } catch (error) {
    options.logger.error({ err: error, msgtype }, 'AI-bot webhook reply could not be encrypted; answered an empty 200');
    return undefined;
  }
}

function parseCallback(plaintext: string): WebhookCallback {
  let value: unknown;
  try {
    value = JSON.parse(plaintext);
  } catch {
    // The parser's message would quote the user's text into the log.
    throw new Refusal(400, 'the decrypted callback is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Refusal(400, 'the decrypted callback is not a JSON object');
  const msgtype = (value as Record<string, unknown>)['msgtype'];
  if (typeof msgtype !== 'string' || msgtype === '') throw new Refusal(400, 'the decrypted callback has no msgtype');
  return value as WebhookCallback;
}

function streamIdOf(callback: WebhookCallback): string {
  const stream = callback['stream'];
  const id = typeof stream === 'object' && stream !== null ? (stream as Record<string, unknown>)['id'] : undefined;
  if (typeof id !== 'string' || id === '') throw new Refusal(400, 'a stream refresh callback without stream.id');
  return id;
}

function queryParams<N extends string>(query: Record<string, string | string[] | undefined>, names: readonly N[]): Record<N, string> {
  const missing = names.filter((name) => typeof query[name] !== 'string' || query[name] === '');
  if (missing.length > 0) throw new Refusal(400, `missing or repeated query parameter(s): ${missing.join(', ')}`);
  return Object.fromEntries(names.map((name) => [name, query[name]])) as Record<N, string>;
}

async function readBody(req: NodeJS.ReadableStream, contentLength: string, limit: number): Promise<string> {
  try {
    return await getRawBody(req as Parameters<typeof getRawBody>[0], { length: contentLength || undefined, limit, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw new Refusal(413, `body larger than ${limit} bytes`);
    throw new Refusal(400, `could not read the body (${type ?? 'connection error'})`);
  }
}

function classify(error: unknown): { status: number; message: string; code?: number } {
  if (error instanceof Refusal) return { status: error.status, message: error.message };
  if (error instanceof WxCryptoError) return { status: error.httpStatus, message: `${error.message} (WXBizMsgCrypt ${error.code})`, code: error.code };
  return { status: 500, message: error instanceof Error ? error.message : String(error) };
}
