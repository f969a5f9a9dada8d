import { createCipheriv, createDecipheriv } from 'node:crypto';
import { WxCryptoError } from './errors.js';
import type { AesKey } from './aes-key.js';

const AES_BLOCK = 16;

// Both helpers work on already-padded data with Node's padding turned off, because WeChat's
// padding (32-byte blocks) is not the 16-byte PKCS#7 that OpenSSL would add or strip.

export function aesCbcEncrypt({ key, iv }: AesKey, padded: Buffer): Buffer {
  if (padded.length === 0 || padded.length % AES_BLOCK !== 0) {
    throw new WxCryptoError('EncryptAESError', 'data to encrypt is not padded to whole AES blocks');
  }
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}

export function aesCbcDecrypt({ key, iv }: AesKey, ciphertext: Buffer): Buffer {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new WxCryptoError(
      'DecryptAESError',
      `ciphertext length ${ciphertext.length} is not a positive multiple of ${AES_BLOCK} bytes (truncated or not AES-CBC output)`,
    );
  }
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}
