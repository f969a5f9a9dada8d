/** Errcodes the client treats specially; the rest surface as WecomApiError with WeCom's errmsg. */
export const WecomErrcode = {
  Busy: -1,
  InvalidSecret: 40001,
  InvalidToken: 40014,
  ExpiredToken: 42001,
  EmptyContent: 44004,
  ContentTooLarge: 45002,
  VoiceTooLong: 45007,
  ApiFreqLimit: 45009,
  AccountFreqLimit: 45033,
  NoPermission: 48002,
  UntrustedIp: 60020,
  NoValidRecipient: 81013,
} as const;

/** Token errors: refresh the access token once and retry. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([WecomErrcode.InvalidToken, WecomErrcode.ExpiredToken]);
/** Busy and rate limits: back off and retry a bounded number of times. */
export const RETRYABLE_ERRCODES: ReadonlySet<number> = new Set([WecomErrcode.Busy, WecomErrcode.ApiFreqLimit, WecomErrcode.AccountFreqLimit]);

const HINTS: Record<number, string> = {
  [WecomErrcode.Busy]: 'WeCom is busy; try again later',
  [WecomErrcode.InvalidSecret]: 'check wechatcom_corp_id and wechatcomapp_secret (the secret of this app, not another one)',
  [WecomErrcode.InvalidToken]: 'the access token was refused even after a refresh; check the secret',
  [WecomErrcode.ExpiredToken]: 'the access token expired even after a refresh; check the server clock',
  [WecomErrcode.EmptyContent]: 'the message was empty',
  [WecomErrcode.ContentTooLarge]: 'the message is too large',
  [WecomErrcode.VoiceTooLong]: 'voice must be at most 60 s',
  [WecomErrcode.ApiFreqLimit]: 'API call rate limit reached',
  [WecomErrcode.AccountFreqLimit]: 'rate limit reached',
  [WecomErrcode.NoPermission]: 'the app lacks the permission for this API',
  [WecomErrcode.UntrustedIp]: "add this server's IP to the app's Trusted IPs (App Management → your app → Trusted IP)",
  [WecomErrcode.NoValidRecipient]: "the member is not in the app's visible range",
};

/**
 * errcode: WeCom answered with one; http: a bad status; connect: no connection was made, so
 * the request never left; reset: the connection was reset (ECONNRESET, EPIPE) before any byte
 * of an answer, taken as not received; network: the request broke off later, or went
 * unanswered until the time limit (WeCom may have acted on it).
 */
export type WecomApiFailure = 'errcode' | 'http' | 'connect' | 'reset' | 'network';

/**
 * A failed WeCom API call. The message names the API path, never the URL (its query holds
 * the access token or the secret).
 */
export class WecomApiError extends Error {
  override readonly name = 'WecomApiError';

  constructor(
    readonly api: string,
    readonly failure: WecomApiFailure,
    /** WeCom's errcode; for http/connect/network failures undefined. */
    readonly errcode: number | undefined,
    readonly errmsg: string,
    readonly httpStatus?: number,
  ) {
    const hint = errcode !== undefined ? HINTS[errcode] : undefined;
    const what = failure === 'errcode' ? `errcode ${errcode}: ${errmsg}` : errmsg;
    super(`WeCom ${api} failed (${what})${hint ? ` — ${hint}` : ''}`);
  }

  /** Worth retrying after a pause: busy, rate limited, a 5xx, a connect or network failure. */
  get retryable(): boolean {
    if (this.failure === 'errcode') return this.errcode !== undefined && RETRYABLE_ERRCODES.has(this.errcode);
    if (this.failure === 'http') return (this.httpStatus ?? 0) >= 500 || this.httpStatus === 429;
    return true;
  }
}

/** The caller's IP that WeCom quotes in a 60020 errmsg ("… from ip: 1.2.3.4, …"). */
export function untrustedIpFrom(errmsg: string): string | undefined {
  return /from ip:\s*([0-9a-fA-F.:]+)/i.exec(errmsg)?.[1];
}
