import { createHash, timingSafeEqual } from 'node:crypto';
import { createContext, type Context } from '@wecom-bot/core';
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

export function legacyContext(request: LegacyRequest, channel: string): Context {
  return createContext({
    type: 'TEXT',
    content: request.text,
    channel,
    senderId: request.uid,
    receiver: request.uid,
    messageId: request.requestId,
    raw: request,
  });
}

/** `{"err_code":0,"data_list":[{"<output slot>": text}]}`: one object filling the output slot. */
export function legacyAnswer(text: string, outputSlot: string): HttpAnswer {
  return { status: 200, body: { err_code: 0, data_list: [{ [outputSlot]: text }] } };
}
