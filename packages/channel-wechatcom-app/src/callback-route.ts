import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { answer } from './answer.js';
import { CALLBACK_TIMESTAMP_WINDOW_MS, checkCallbackTimestamp } from './callback-timestamp.js';
import { readBody } from './read-body.js';
import { Refusal } from './refusal.js';
import { parseEncryptedEnvelope, parseMessage, type WecomInboundMessage } from './xml/parse-message.js';

export interface CallbackRouteOptions {
  crypt: WXBizMsgCrypt;
  maxBodyBytes: number;
  /** Callbacks whose timestamp is further than this from `now` are refused as replays. */
  timestampWindowMs?: number;
  now?: () => number;
  /** Handles one decrypted message; resolves to the plaintext XML of a passive reply, or undefined. */
  onMessage(message: WecomInboundMessage): Promise<string | undefined>;
  /** After WeCom verified the URL (GET with a valid signature). */
  onVerified(req: IncomingMessage): void;
}

/**
 * The two requests WeCom sends to the callback path, answered straight on node:http: GET
 * verifies the URL (answered with the decrypted echostr), POST carries an encrypted message
 * (answered at once: empty, or an encrypted passive reply). Whatever is wrong throws (a
 * Refusal, WxCryptoError or XmlInputError) for the caller to answer and log.
 */
export function callbackRoute(options: CallbackRouteOptions) {
  const { crypt } = options;
  const checkTimestamp = (timestamp: string) =>
    checkCallbackTimestamp(timestamp, options.timestampWindowMs ?? CALLBACK_TIMESTAMP_WINDOW_MS, (options.now ?? Date.now)());

  return async (req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> => {
    if (req.method === 'GET') {
      const q = queryParams(query, ['msg_signature', 'timestamp', 'nonce', 'echostr']);
      checkTimestamp(q.timestamp);
      // The query is URL-decoded, as the signature requires. Form decoding also turns a "+"
      // into a space; base64 has no spaces, so one can only be a "+" that a proxy unescaped.
      const echo = crypt.verifyUrl(q.msg_signature, q.timestamp, q.nonce, q.echostr.replaceAll(' ', '+'));
      answer(res, 200, 'text/plain; charset=utf-8', echo);
      options.onVerified(req);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'GET, POST');
      throw new Refusal(405, `method ${String(req.method).slice(0, 16)} not allowed on the callback path (WeCom sends GET and POST)`);
    }
    const q = queryParams(query, ['msg_signature', 'timestamp', 'nonce']);
    checkTimestamp(q.timestamp);
    const body = await readBody(req, options.maxBodyBytes);
    // Unauthenticated input gets only the bounded envelope reader; decryptMessage checks the
    // signature before decrypting, so the message reader sees only what WeCom signed.
    const envelope = parseEncryptedEnvelope(body);
    const message = parseMessage(crypt.decryptMessage(q.msg_signature, q.timestamp, q.nonce, envelope.encrypt));
    const passive = await options.onMessage(message);
    // 200 with an empty body: received, nothing to say now (WeCom does not retry).
    if (passive === undefined) answer(res, 200, undefined, '');
    else answer(res, 200, 'application/xml; charset=utf-8', crypt.renderEncryptedXml(passive));
  };
}

function queryParams<N extends string>(query: URLSearchParams, names: readonly N[]): Record<N, string> {
  const values = {} as Record<N, string>;
  for (const name of names) {
    const value = query.get(name);
    if (!value) throw new Refusal(400, `missing query parameter(s): ${names.filter((n) => !query.get(n)).join(', ')}`);
    values[name] = value;
  }
  return values;
}
