import type { Logger } from '@wecom-bot/core';
import { fetchErrorName, maskUrl } from './log-safe.js';

/** D:101138: a response_url works once, for one hour after the callback that carried it. */
export const RESPONSE_URL_TTL_MS = 60 * 60 * 1000;

export type ResponseUrlBody =
  | { readonly msgtype: 'markdown'; readonly markdown: { readonly content: string } }
  | { readonly msgtype: 'template_card'; readonly template_card: { readonly [key: string]: unknown } };

export function markdownBody(content: string): ResponseUrlBody {
  return { msgtype: 'markdown', markdown: { content } };
}

export interface PostResponseUrlOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  logger: Logger;
  signal?: AbortSignal;
}

/** A failed response_url delivery; `status` or `errcode` says why. The URL in it is masked. */
export class ResponseUrlError extends Error {
  override readonly name = 'ResponseUrlError';

  constructor(
    message: string,
    readonly details: { status?: number; errcode?: number; errmsg?: string; reason?: string },
  ) {
    super(message);
  }
}

/**
 * One plain JSON POST to a callback's response_url (D:101138: not encrypted, UTF-8), the
 * webhook mode's only way to answer after the stream window closed. The URL is usable once, so
 * nothing here retries: a second attempt could only fail or, if the first did arrive, repeat it.
 * Failures are logged once here (warn, masked URL) and thrown as ResponseUrlError.
 */
export async function postResponseUrl(url: string, body: ResponseUrlBody, options: PostResponseUrlOptions): Promise<void> {
  const where = maskUrl(url);
  const fail = (reason: string, details: ResponseUrlError['details']): never => {
    options.logger.warn({ url: where, ...details }, `response_url delivery failed: ${reason}`);
    throw new ResponseUrlError(`response_url delivery to ${where} failed: ${reason}`, details);
  };
  if (!/^https?:$/.test(safeProtocol(url))) fail('not an http(s) URL', { reason: 'bad-url' });

  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      // A redirect would carry the one-time code to wherever it points.
      redirect: 'error',
    });
  } catch (error) {
    // Only the error's name or code: undici's messages and causes may repeat the URL.
    return fail(`request error (${fetchErrorName(error)})`, { reason: fetchErrorName(error) });
  }

  const text = await response.text().catch(() => '');
  const json = parseJson(text);
  if (!response.ok) {
    return fail(`HTTP ${response.status}`, { status: response.status, errcode: json?.errcode, errmsg: json?.errmsg });
  }
  // A 2xx without an errcode counts as delivered: only the errcode form of failure is known.
  if (json?.errcode !== undefined && json.errcode !== 0) {
    // No source lists response_url's errcodes; a used or expired URL is the likely cause.
    return fail(`errcode ${json.errcode} ${json.errmsg ?? ''} (a response_url works once, for one hour)`, { status: response.status, errcode: json.errcode, errmsg: json.errmsg });
  }
  options.logger.debug({ url: where, msgtype: body.msgtype }, 'response_url delivered');
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

function parseJson(text: string): { errcode?: number; errmsg?: string } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { errcode, errmsg } = value as Record<string, unknown>;
    return { errcode: typeof errcode === 'number' ? errcode : undefined, errmsg: typeof errmsg === 'string' ? errmsg : undefined };
  } catch {
    return undefined;
  }
}
