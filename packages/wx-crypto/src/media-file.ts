import { decodeEncodingAesKey, type AesKey } from './aes-key.js';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc.js';
import { decodeBase64Strict } from './encoding.js';
import { WxCryptoError } from './errors.js';
import { pkcs7Pad, pkcs7Unpad, WX_PAD_BLOCK } from './pkcs7.js';

/**
 * The AI bot's image and file downloads are encrypted as raw bytes: AES-256-CBC, IV = key[0:16],
 * PKCS#7 to 32-byte blocks, and none of the callback framing (no random prefix, length or
 * receive id) — @wecom/aibot-node-sdk `decryptFile`, the official Python webhook demo.
 */

/**
 * The key for one download: the per-message `aeskey` (base64 of 32 bytes, sent over the long
 * connection) when there is one, else the bot's EncodingAESKey (webhook mode). Sources differ
 * on precedence when both exist; a per-resource key is the more specific, so it wins.
 */
export function mediaFileKey(aeskey: string | undefined, encodingAesKey: string): AesKey {
  if (aeskey === undefined || aeskey === '') return decodeEncodingAesKey(encodingAesKey);
  // Same 32 bytes either way: with its "=" (44 characters) or without, like an EncodingAESKey.
  if (aeskey.length === 43) return decodeEncodingAesKey(aeskey);
  let key: Buffer;
  try {
    key = decodeBase64Strict(aeskey, 'aeskey');
  } catch {
    key = Buffer.alloc(0);
  }
  if (key.length !== 32) {
    throw new WxCryptoError('IllegalAesKey', "the message's aeskey is not base64 of a 32-byte key");
  }
  return { key, iv: Buffer.from(key.subarray(0, 16)) };
}

/** Decrypts a downloaded media file. A wrong key almost always shows up as bad padding (-40007). */
export function decryptMediaFile(data: Buffer, key: AesKey): Buffer {
  return Buffer.from(pkcs7Unpad(aesCbcDecrypt(key, data), WX_PAD_BLOCK));
}

/** The inverse, for fakes that serve media the way WeCom does. */
export function encryptMediaFile(data: Buffer, key: AesKey): Buffer {
  return aesCbcEncrypt(key, pkcs7Pad(data, WX_PAD_BLOCK));
}
