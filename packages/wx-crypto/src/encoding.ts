import { WxCryptoError, type WxCryptoErrorKind } from './errors.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Buffer.from(s, 'base64') silently skips junk and accepts base64url, so untrusted input is
 * checked first: standard alphabet, correct "=" padding, canonical trailing bits, non-empty.
 */
export function decodeBase64Strict(input: string, what: string): Buffer {
  const bytes = typeof input === 'string' && input.length > 0 ? Buffer.from(input, 'base64') : undefined;
  // Re-encoding gives the input back only when it was canonical base64 of the standard
  // alphabet: the one check on the good path; the pattern only words the error.
  if (bytes !== undefined && bytes.toString('base64') === input) return bytes;
  if (typeof input !== 'string' || input.length === 0 || !BASE64.test(input)) {
    throw new WxCryptoError(
      'DecodeBase64Error',
      `${what} is not valid base64 (URL-decode query parameters before passing them)`,
    );
  }
  throw new WxCryptoError('DecodeBase64Error', `${what} is not canonical base64`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8, refusing invalid sequences instead of inserting U+FFFD. */
export function decodeUtf8Strict(bytes: Uint8Array, kind: WxCryptoErrorKind, what: string): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new WxCryptoError(kind, `${what} is not valid UTF-8 (check that EncodingAESKey matches the platform)`);
  }
}
