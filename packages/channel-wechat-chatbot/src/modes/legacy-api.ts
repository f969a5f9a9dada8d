import { createHash, timingSafeEqual } from 'node:crypto';
import { createContext, ctxSet, UNVERIFIED_SENDER, type Context } from '@wecom-bot/core';
import type { WechatChatbotConfig } from '../config.js';
import { RequestError, type HttpAnswer } from '../http-answer.js';

/**
 * Mode 2, the legacy third-party service API (doc aispeech/platform/3rdparty_api): a GET with
 * the configured slots as query parameters and the caller in headers.
 */
export interface LegacyRequest {
  uid: string;
  requestId?: string;
  appid?: string;
  bid?: string;
  text: string;
  slots: Record<string, string>;
}

type Query = Record<string, string | string[] | undefined>;
type Headers = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The query parameter that carries wechat_chatbot_api_key, written into the URL in the console. */
export const ACCESS_KEY_PARAM = 'key';

/** Compares in constant time (over digests, so unequal lengths leak nothing either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The platform's own answer shape, with a non-zero err_code. */
export const legacyError = (status: number, message: string, errMsg: string) =>
  new RequestError(status, message, { err_code: status, err_msg: errMsg, data_list: [] });

/**
 * Reads the user (header `uid`) and the text: the parameter named by `inputSlot`, or the
 * values of all parameters, space-joined, when it is empty (one slot is the usual setup).
 */
export function parseLegacyRequest(query: Query, headers: Headers, inputSlot: string, accessKey = ''): LegacyRequest {
  if (accessKey !== '' && !sameSecret(first(query[ACCESS_KEY_PARAM]) ?? '', accessKey)) {
    throw legacyError(403, `legacy API request without the right "${ACCESS_KEY_PARAM}" query parameter (wechat_chatbot_api_key)`, 'forbidden');
  }
  const uid = first(headers.uid)?.trim();
  if (!uid) throw legacyError(400, 'legacy API request has no uid header; is this URL configured in the platform as a third-party service?', 'missing uid');
  const slots: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    // The access key is ours, not a slot: it must never become the user's text.
    if (accessKey !== '' && name === ACCESS_KEY_PARAM) continue;
    const v = first(value);
    if (v !== undefined) slots[name] = v;
  }
  const text = (inputSlot ? (slots[inputSlot] ?? '') : Object.values(slots).join(' ')).trim();
  if (!text) {
    const which = inputSlot ? `the "${inputSlot}" parameter (wechat_chatbot_api_input_slot)` : 'any slot parameter';
    throw legacyError(400, `legacy API request carries no text in ${which}`, 'empty query');
  }
  return { uid, requestId: first(headers.requestid), appid: first(headers.appid), bid: first(headers.bid), text, slots };
}

/**
 * Without wechat_chatbot_api_key nothing authenticates a mode 2 request, and its uid header is
 * whatever the caller wrote: then the server listens on loopback only (the HTTPS proxy in
 * front reaches it there), unless the admin opens it with wechat_chatbot_api_public.
 */
export function legacyApiListenHost(config: Pick<WechatChatbotConfig, 'wechat_chatbot_api_key' | 'wechat_chatbot_api_public' | 'wechat_chatbot_host'>): string {
  return config.wechat_chatbot_api_key === '' && !config.wechat_chatbot_api_public ? LOOPBACK : config.wechat_chatbot_host;
}

export const LOOPBACK = '127.0.0.1';

/** `keyed`: the request carried wechat_chatbot_api_key; otherwise its uid vouches for nobody. */
export function legacyContext(request: LegacyRequest, channel: string, keyed: boolean): Context {
  const context = createContext({
    type: 'TEXT',
    content: request.text,
    channel,
    senderId: request.uid,
    receiver: request.uid,
    messageId: request.requestId,
    raw: request,
  });
  if (!keyed) ctxSet(context, UNVERIFIED_SENDER, 'the legacy API (mode 2) runs without wechat_chatbot_api_key, so its uid header is not authenticated');
  return context;
}

/** `{"err_code":0,"data_list":[{"<output slot>": text}]}`: one object filling the output slot. */
export function legacyAnswer(text: string, outputSlot: string): HttpAnswer {
  return { status: 200, body: { err_code: 0, data_list: [{ [outputSlot]: text }] } };
}
