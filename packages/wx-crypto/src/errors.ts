/**
 * Errors carry the official WXBizMsgCrypt code (so logs match WeCom's documentation) and the
 * HTTP status a callback endpoint should answer with. Messages say what went wrong and what to
 * check; they never quote the key, the token, the plaintext or the ciphertext.
 */

/** The WXBizMsgCrypt return codes, as numbered in WeCom's reference SDKs. */
export const WxCryptoErrorCode = {
  ValidateSignatureError: -40001,
  ParseXmlError: -40002,
  ComputeSignatureError: -40003,
  IllegalAesKey: -40004,
  ValidateCorpidError: -40005,
  EncryptAESError: -40006,
  DecryptAESError: -40007,
  IllegalBuffer: -40008,
  DecodeBase64Error: -40010,
  GenReturnXmlError: -40011,
} as const;

export type WxCryptoErrorKind = keyof typeof WxCryptoErrorCode;
export type WxCryptoErrorCodeValue = (typeof WxCryptoErrorCode)[WxCryptoErrorKind];

// 401/403 tell a forged or misrouted request apart from a malformed one (400). The kinds
// raised by our own configuration, encryption or reply rendering are the server's fault: 500.
const HTTP_STATUS: Record<WxCryptoErrorKind, number> = {
  ValidateSignatureError: 401,
  ParseXmlError: 400,
  ComputeSignatureError: 500,
  IllegalAesKey: 500,
  ValidateCorpidError: 403,
  EncryptAESError: 500,
  DecryptAESError: 400,
  IllegalBuffer: 400,
  DecodeBase64Error: 400,
  GenReturnXmlError: 500,
};

export class WxCryptoError extends Error {
  override readonly name = 'WxCryptoError';
  readonly kind: WxCryptoErrorKind;
  readonly code: WxCryptoErrorCodeValue;
  readonly httpStatus: number;

  constructor(kind: WxCryptoErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.code = WxCryptoErrorCode[kind];
    this.httpStatus = HTTP_STATUS[kind];
  }
}
