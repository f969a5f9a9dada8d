import { createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc.js';
import { decodeEncodingAesKey } from './aes-key.js';

const keyOf = (seed: number) => decodeEncodingAesKey(Buffer.alloc(32, seed).toString('base64').slice(0, 43));

describe('aesCbcDecrypt', () => {
  it("agrees with Node's own AES-256-CBC for callbacks and media sizes, message after message, two keys interleaved", () => {
    const keys = [keyOf(1), keyOf(2)];
    for (const size of [16, 32, 48, 640, 16 * 1024, 16 * 1024 + 16, 200_000]) {
      for (let round = 0; round < 3; round++) {
        for (const aes of keys) {
          const data = randomBytes(size);
          const encrypted = aesCbcEncrypt(aes, data);
          const reference = createDecipheriv('aes-256-cbc', aes.key, aes.iv).setAutoPadding(false);
          const expected = Buffer.concat([reference.update(encrypted), reference.final()]);
          expect(aesCbcDecrypt(aes, encrypted).equals(expected), `${size} bytes`).toBe(true);
          expect(expected.equals(data)).toBe(true);
        }
      }
    }
  });

  it('leaves the ciphertext it was given as it was', () => {
    const aes = keyOf(3);
    const encrypted = aesCbcEncrypt(aes, randomBytes(64));
    const copy = Buffer.from(encrypted);
    aesCbcDecrypt(aes, encrypted);
    expect(encrypted.equals(copy)).toBe(true);
  });
});
