import { WxCryptoError } from './errors.js';

/**
 * WXBizMsgCrypt pads to 32-byte blocks (the key length), not AES's 16: pad values run 1..32,
 * and a message already a multiple of 32 gets a full block of 32 × 0x20.
 */
export const WX_PAD_BLOCK = 32;

/** PKCS#7: append n bytes of value n, n in 1..blockSize. */
export function pkcs7Pad(data: Buffer, blockSize: number = WX_PAD_BLOCK): Buffer {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > 255) {
    throw new RangeError(`PKCS#7 block size must be 1..255, got ${blockSize}`);
  }
  const n = blockSize - (data.length % blockSize);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/**
 * Strict PKCS#7 removal: the pad value must be 1..maxPad and every pad byte equal to it.
 * A bad pad almost always means the wrong key, so the hint says so.
 */
export function pkcs7Unpad(data: Buffer, maxPad: number = WX_PAD_BLOCK): Buffer {
  const n = data.length > 0 ? data[data.length - 1]! : 0;
  let ok = n >= 1 && n <= maxPad && n <= data.length;
  for (let i = data.length - n; ok && i < data.length; i++) {
    if (data[i] !== n) ok = false;
  }
  if (!ok) {
    throw new WxCryptoError(
      'DecryptAESError',
      'decrypted data has invalid PKCS#7 padding (check that EncodingAESKey matches the platform)',
    );
  }
  return data.subarray(0, data.length - n);
}
