import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@wecom-bot/core';
import { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { renderSendmsgXml, type SendmsgXml } from './modes/kefu.js';

export interface SendmsgClientOptions {
  apiBase: string;
  token: string;
  aesKey: string;
  appid: string;
  logger: Logger;
  timeoutMs?: number;
  /** Waits before each new attempt when the connection was never made; its length bounds the retries. */
  retryDelaysMs?: readonly number[];
}

/** A refused or failed sendmsg call; the message never holds the TOKEN (it is part of the URL). */
export class SendmsgError extends Error {
  override readonly name = 'SendmsgError';
  constructor(
    message: string,
    readonly errcode?: number,
  ) {
    super(message);
  }
}

const WRONG_TOKEN_OR_CRYPTO = 1019;

/**
 * Codes of a connection that was never made: the reply did not leave, so sending it again
 * cannot double it. A reset or timeout after connecting may have delivered it: not retried.
 */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Pushes customer-service replies: POST {base}/openapi/sendmsg/{TOKEN} with
 * {"encrypt": WXBizMsgCrypt(TOKEN, EncodingAESKey, APPID).encrypt(xml)}.
 */
export class SendmsgClient {
  private readonly crypt: WXBizMsgCrypt;
  private readonly url: string;
  /** The URL as logs may show it. */
  readonly safeUrl: string;

  constructor(private readonly options: SendmsgClientOptions) {
    this.crypt = new WXBizMsgCrypt(options.token, options.aesKey, options.appid);
    const base = options.apiBase.replace(/\/+$/, '');
    this.url = `${base}/openapi/sendmsg/${encodeURIComponent(options.token)}`;
    this.safeUrl = `${base}/openapi/sendmsg/{TOKEN}`;
  }

  async send(message: SendmsgXml): Promise<void> {
    if (!this.options.appid) throw new SendmsgError('cannot push a customer-service reply: wechat_chatbot_appid is empty (copy the APPID from the platform console)');
    const body = JSON.stringify({ encrypt: this.crypt.encrypt(renderSendmsgXml(message)) });
    const response = await this.post(body);
    const text = await response.text();
    const answer = parseJson(text);
    if (response.ok && answer === undefined) {
      // A page or proxy answering 200 would otherwise count as delivered while the user gets nothing.
      throw new SendmsgError(`POST ${this.safeUrl} answered HTTP 200 with ${JSON.stringify(text.slice(0, 80))}, not the platform's JSON answer: check wechat_chatbot_api_base`);
    }
    const errcode = typeof answer?.errcode === 'number' ? answer.errcode : Number(answer?.errcode ?? 0);
    if (errcode === WRONG_TOKEN_OR_CRYPTO) {
      throw new SendmsgError(
        `POST ${this.safeUrl} refused the reply (errcode 1019): wrong TOKEN or encryption; check wechat_chatbot_token, wechat_chatbot_aes_key and wechat_chatbot_appid against the platform console`,
        errcode,
      );
    }
    if (!response.ok || (Number.isFinite(errcode) && errcode !== 0)) {
      const errmsg = typeof answer?.errmsg === 'string' ? answer.errmsg.slice(0, 200) : text.slice(0, 200);
      throw new SendmsgError(`POST ${this.safeUrl} failed: HTTP ${response.status}, errcode ${errcode}, ${errmsg}`, errcode);
    }
    this.options.logger.debug({ openid: message.openid, channel: message.channel }, 'customer-service reply pushed');
  }

  /** One POST, tried again (bounded) only while the connection cannot be made. */
  private async post(body: string): Promise<Response> {
    const delays = this.options.retryDelaysMs ?? [500, 2000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        // Only the code is kept: the fetch error and its cause are never passed on (the URL holds the TOKEN).
        const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        const delay = delays[attempt];
        if (!NOT_CONNECTED.has(code) || delay === undefined) {
          const tries = attempt + 1;
          throw new SendmsgError(`POST ${this.safeUrl} failed (${code}${tries > 1 ? `, ${tries} attempts` : ''}): is wechat_chatbot_api_base reachable?`);
        }
        this.options.logger.warn({ code, attempt: attempt + 1 }, `customer-service reply could not connect to ${this.safeUrl}; trying again in ${delay} ms`);
        await sleep(delay);
      }
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
