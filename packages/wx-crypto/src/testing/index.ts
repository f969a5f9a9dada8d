// Helpers shared by this package's tests.
import { createCipheriv } from 'node:crypto';
import { WxCryptoError } from '../errors.js';
import { SAMPLE_ENCODING_AES_KEY } from './official-samples.js';

/** Runs `fn` and returns the WxCryptoError it throws; fails when it throws nothing or something else. */
export function catchError(fn: () => unknown): WxCryptoError {
  try {
    fn();
  } catch (e) {
    if (e instanceof WxCryptoError) return e;
    throw e;
  }
  throw new Error('expected a WxCryptoError');
}

/** Raw AES-256-CBC with the sample key and no padding, to build malformed plaintexts. */
export function rawEncrypt(plain: Buffer): string {
  const key = Buffer.from(`${SAMPLE_ENCODING_AES_KEY}=`, 'base64');
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(plain), c.final()]).toString('base64');
}
