import { decodeEncodingAesKey } from './aes-key.js';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc.js';
import { decodeBase64Strict, decodeUtf8Strict } from './encoding.js';
import { pkcs7Pad, pkcs7Unpad } from './pkcs7.js';

/**
 * PKCS#7 block size used when encrypting for the dialogue platform's skill API
 * (doc aispeech/confapi/thirdapi: the whole JSON body is base64(AES-CBC(body)), the response
 * the same way, key = base64-decode(EncodingAESKey + "="); no random prefix, length or app id).
 *
 * Confirmed by that page: AES CBC, the key derivation, base64 both ways.
 * Not confirmed: the pad block. The page's Go sample (`decodeAesKey` returning a cipher.Block)
 * is cut off in every copy we found right where it pads; the idiomatic Go reading is
 * PKCS7Padding(msg, block.BlockSize()) = 16, and the SKIT .NET SDK encrypts the same
 * platform's v2 bot/query bodies with .NET's AES PKCS7 (16) and IV = key[0:16]. We send 16 and
 * accept any valid pad up to 32 on the way in, so either reading decrypts. If the platform
 * turns out to require 32-byte blocks, change this constant only.
 */
export const PLAIN_AES_PAD_BLOCK = 16;

/** Largest pad accepted on decrypt: covers 16-byte PKCS#7 and WXBizMsgCrypt's 32-byte style. */
const PLAIN_AES_MAX_PAD = 32;

/** Encrypts a UTF-8 body for the skill API: base64(AES-256-CBC(PKCS#7(text))), IV = key[0:16]. */
export function encryptPlainAes(encodingAesKey: string, utf8Text: string): string {
  const aes = decodeEncodingAesKey(encodingAesKey);
  return aesCbcEncrypt(aes, pkcs7Pad(Buffer.from(utf8Text, 'utf8'), PLAIN_AES_PAD_BLOCK)).toString('base64');
}

/**
 * Decrypts a skill API body. Without framing or a MAC, a wrong key shows up only as bad
 * padding or bad UTF-8; callers should answer every failure the same way (no padding oracle).
 */
export function decryptPlainAes(encodingAesKey: string, base64: string): string {
  const aes = decodeEncodingAesKey(encodingAesKey);
  const plain = pkcs7Unpad(aesCbcDecrypt(aes, decodeBase64Strict(base64, 'encrypted body')), PLAIN_AES_MAX_PAD);
  return decodeUtf8Strict(plain, 'DecryptAESError', 'decrypted body');
}
