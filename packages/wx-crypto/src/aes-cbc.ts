import { createCipheriv, createDecipheriv, type Decipher } from 'node:crypto';
import { WxCryptoError } from './errors.js';
import type { AesKey } from './aes-key.js';

const AES_BLOCK = 16;
/** Up to this size (callbacks) the XOR below costs less than a new decipher; media files go native. */
const SMALL_MESSAGE = 16 * 1024;

// Both helpers work on already-padded data with Node's padding turned off, because WeChat's
// padding (32-byte blocks) is not the 16-byte PKCS#7 that OpenSSL would add or strip.

export function aesCbcEncrypt({ key, iv }: AesKey, padded: Buffer): Buffer {
  if (padded.length === 0 || padded.length % AES_BLOCK !== 0) {
    throw new WxCryptoError('EncryptAESError', 'data to encrypt is not padded to whole AES blocks');
  }
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]);
}

export function aesCbcDecrypt(aes: AesKey, ciphertext: Buffer): Buffer {
  if (ciphertext.length === 0 || ciphertext.length % AES_BLOCK !== 0) {
    throw new WxCryptoError(
      'DecryptAESError',
      `ciphertext length ${ciphertext.length} is not a positive multiple of ${AES_BLOCK} bytes (truncated or not AES-CBC output)`,
    );
  }
  if (ciphertext.length > SMALL_MESSAGE) {
    const decipher = createDecipheriv('aes-256-cbc', aes.key, aes.iv).setAutoPadding(false);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  }
  // CBC decryption is each block's ECB decryption XORed with the block before it (the IV for
  // the first). An ECB decipher keeps no state between whole blocks, so one per key serves
  // every message: creating a CBC decipher per message cost more than decrypting a callback.
  const plain = ecbDecipherFor(aes).update(ciphertext);
  for (let i = plain.length - 1; i >= AES_BLOCK; i--) plain[i]! ^= ciphertext[i - AES_BLOCK]!;
  for (let i = 0; i < AES_BLOCK; i++) plain[i]! ^= aes.iv[i]!;
  return plain;
}

const ecbDeciphers = new WeakMap<AesKey, Decipher>();

function ecbDecipherFor(aes: AesKey): Decipher {
  let decipher = ecbDeciphers.get(aes);
  if (!decipher) {
    decipher = createDecipheriv('aes-256-ecb', aes.key, null).setAutoPadding(false);
    ecbDeciphers.set(aes, decipher);
  }
  return decipher;
}
