import { WxCryptoError } from './errors.js';

export interface AesKey {
  /** 32-byte AES-256 key. */
  readonly key: Buffer;
  /** CBC IV: WeChat uses the first 16 bytes of the key, not a random IV. */
  readonly iv: Buffer;
}

// 43 base64 characters are 258 bits; with the "=" WeChat drops, they decode to 32 bytes.
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

/** Decodes an EncodingAESKey into the AES key and IV, or throws IllegalAesKey (-40004). */
export function decodeEncodingAesKey(encodingAesKey: string): AesKey {
  if (typeof encodingAesKey !== 'string' || encodingAesKey.length !== 43) {
    const got = typeof encodingAesKey === 'string' ? `${encodingAesKey.length} characters` : 'no string';
    throw new WxCryptoError(
      'IllegalAesKey',
      `EncodingAESKey must be 43 characters of base64, got ${got} (copy it again from the platform's callback settings)`,
    );
  }
  if (!ENCODING_AES_KEY.test(encodingAesKey)) {
    throw new WxCryptoError(
      'IllegalAesKey',
      'EncodingAESKey must contain only base64 characters (A-Z, a-z, 0-9); check for stray spaces or quotes',
    );
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) {
    throw new WxCryptoError('IllegalAesKey', 'EncodingAESKey does not decode to a 32-byte AES key');
  }
  return { key, iv: Buffer.from(key.subarray(0, 16)) };
}
