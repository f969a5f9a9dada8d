/**
 * Errors of the long connection. Transport failures reject; a non-zero errcode in an ack
 * does not (see LongConnection.request). None of these messages ever carries the secret.
 */

/** No ack arrived for a frame within the ack timeout. The frame may or may not have landed. */
export class AckTimeoutError extends Error {
  override name = 'AckTimeoutError';
  constructor(
    readonly cmd: string,
    readonly reqId: string,
    readonly timeoutMs: number,
  ) {
    super(`no ack for ${cmd} (req_id ${reqId}) within ${timeoutMs} ms`);
  }
}

/** The socket closed (or was never open) before the ack came: the caller should fall back. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  constructor(
    readonly cmd: string,
    readonly reqId: string,
    readonly reason: string,
  ) {
    super(`${cmd} (req_id ${reqId}) not acked: ${reason}`);
  }
}

/** The first connection could not be opened or subscribed (network, URL, server refusal). */
export class ConnectError extends Error {
  override name = 'ConnectError';
  constructor(
    message: string,
    readonly url: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** `aibot_subscribe` answered with a non-zero errcode that is not about credentials (e.g. 45009). */
export class SubscribeError extends Error {
  override name = 'SubscribeError';
  constructor(
    message: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(message);
  }
}

/** Wrong credentials: retrying cannot help, the config must change. */
export class AuthError extends SubscribeError {
  override name = 'AuthError';
  constructor(
    message: string,
    errcode: number,
    errmsg: string,
    readonly configKey: 'wecom_bot_id' | 'wecom_bot_secret',
  ) {
    super(message, errcode, errmsg);
  }
}

export const ERRCODE_INVALID_BOT_ID = 93019;
export const ERRCODE_WRONG_SECRET = 853000;
export const ERRCODE_STREAM_EXPIRED = 846608;
export const ERRCODE_INVALID_REQ_ID = 846605;
export const ERRCODE_FREQ_LIMIT = 45009;

/**
 * The error for a failed `aibot_subscribe` ack. Messages name the config key to fix;
 * `errmsg` comes from the server and is scrubbed of the secret anyway.
 */
export function subscribeError(botId: string, errcode: number, errmsg: string, secret: string): SubscribeError {
  const said = scrub(errmsg, secret);
  if (errcode === ERRCODE_INVALID_BOT_ID) {
    return new AuthError(
      `WeCom rejected bot id "${botId}" (errcode ${errcode} ${said}): set wecom_bot_id (env WECOM_BOT_ID) ` +
        `to the BotID shown on the bot's API page (long connection mode), it starts with "aib"`,
      errcode,
      said,
      'wecom_bot_id',
    );
  }
  if (errcode === ERRCODE_WRONG_SECRET) {
    return new AuthError(
      `WeCom rejected the secret of bot "${botId}" (errcode ${errcode} ${said}): set wecom_bot_secret ` +
        `(env WECOM_BOT_SECRET) to the Secret shown with the BotID; regenerating it there invalidates the old one`,
      errcode,
      said,
      'wecom_bot_secret',
    );
  }
  const hint = errcode === ERRCODE_FREQ_LIMIT ? ': too many subscribes in a short time, wait before retrying' : '';
  return new SubscribeError(`aibot_subscribe for bot "${botId}" failed (errcode ${errcode} ${said})${hint}`, errcode, said);
}

/** Masks the secret wherever a string built from outside input might echo it. */
export function scrub(text: string, secret: string): string {
  return secret.length > 0 ? text.split(secret).join('***') : text;
}
