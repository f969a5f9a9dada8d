import { describe, it, expect } from 'vitest';
import { pkcs7Pad, pkcs7Unpad, WX_PAD_BLOCK } from './pkcs7.js';

describe('pkcs7Pad', () => {
  it('pads to 32-byte blocks with values 1..32, a full block when already aligned', () => {
    for (let len = 0; len <= 70; len++) {
      const padded = pkcs7Pad(Buffer.alloc(len, 0x61));
      const n = padded.length - len;
      expect(padded.length % WX_PAD_BLOCK).toBe(0);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(32);
      expect([...padded.subarray(len)].every((b) => b === n)).toBe(true);
      expect(pkcs7Unpad(padded).equals(Buffer.alloc(len, 0x61))).toBe(true);
    }
    expect(pkcs7Pad(Buffer.alloc(32)).length).toBe(64);
  });

  it('pads to another block size when asked', () => {
    expect(pkcs7Pad(Buffer.alloc(16), 16).length).toBe(32);
    expect(pkcs7Pad(Buffer.alloc(17), 16).length).toBe(32);
    expect(() => pkcs7Pad(Buffer.alloc(1), 0)).toThrow(RangeError);
  });
});

describe('pkcs7Unpad (strict)', () => {
  const block = (tail: number[]) => Buffer.concat([Buffer.alloc(32 - tail.length, 0x61), Buffer.from(tail)]);

  it.each([
    ['a zero pad byte', block([0])],
    ['a pad value over 32', block([33])],
    ['unequal pad bytes', block([3, 2, 3])],
    ['a pad longer than the data', Buffer.from([5, 5])],
    ['empty data', Buffer.alloc(0)],
  ])('rejects %s with DecryptAESError (-40007)', (_label, data) => {
    expect(() => pkcs7Unpad(data)).toThrow(expect.objectContaining({ code: -40007 }));
  });

  it('honours a smaller maximum pad', () => {
    expect(() => pkcs7Unpad(Buffer.alloc(32, 20), 16)).toThrow(expect.objectContaining({ code: -40007 }));
    expect(pkcs7Unpad(Buffer.alloc(32, 20), 32).length).toBe(12);
  });
});
