import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeEncodingAesKey } from './aes-key.js';
import { decryptMediaFile, encryptMediaFile, mediaFileKey } from './media-file.js';
import { catchError } from './testing/index.js';

const ENCODING_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
// No official media vector exists (PROTOCOLS-AIBOT-KF.md §1.9): these round-trip our own bytes.
const PER_MESSAGE_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3));

describe('AI-bot media file crypto', () => {
  it.each([0, 1, 15, 16, 31, 32, 33, 1000])('round-trips %i bytes, padded to 32-byte blocks', (size) => {
    const key = mediaFileKey(undefined, ENCODING_AES_KEY);
    const data = randomBytes(size);
    const encrypted = encryptMediaFile(data, key);
    expect(encrypted.length % 32).toBe(0);
    expect(encrypted.length).toBeGreaterThan(size);
    expect(decryptMediaFile(encrypted, key).equals(data)).toBe(true);
  });

  it('uses IV = key[0:16] and no framing: Node with the same key, IV and 32-byte padding agrees', async () => {
    const { createCipheriv } = await import('node:crypto');
    const data = Buffer.from('%PDF-1.4 fake');
    const pad = 32 - (data.length % 32);
    const c = createCipheriv('aes-256-cbc', PER_MESSAGE_KEY, PER_MESSAGE_KEY.subarray(0, 16)).setAutoPadding(false);
    const expected = Buffer.concat([c.update(Buffer.concat([data, Buffer.alloc(pad, pad)])), c.final()]);
    expect(encryptMediaFile(data, mediaFileKey(PER_MESSAGE_KEY.toString('base64'), ENCODING_AES_KEY)).equals(expected)).toBe(true);
  });

  it('prefers the per-message aeskey, with or without its "="', () => {
    const withPad = mediaFileKey(PER_MESSAGE_KEY.toString('base64'), ENCODING_AES_KEY);
    const withoutPad = mediaFileKey(PER_MESSAGE_KEY.toString('base64').replace(/=$/, ''), ENCODING_AES_KEY);
    expect(withPad.key.equals(PER_MESSAGE_KEY)).toBe(true);
    expect(withoutPad.key.equals(PER_MESSAGE_KEY)).toBe(true);
    expect(withPad.iv.equals(PER_MESSAGE_KEY.subarray(0, 16))).toBe(true);
    expect(mediaFileKey('', ENCODING_AES_KEY).key.equals(decodeEncodingAesKey(ENCODING_AES_KEY).key)).toBe(true);
  });

  it('a bad aeskey is IllegalAesKey and the message does not quote it', () => {
    for (const bad of ['c2hvcnQ=', 'not base64 at all!', Buffer.alloc(24, 1).toString('base64')]) {
      const err = catchError(() => mediaFileKey(bad, ENCODING_AES_KEY));
      expect(err.kind).toBe('IllegalAesKey');
      expect(err.message).not.toContain(bad);
    }
  });

  it('the wrong key or a truncated file is DecryptAESError (-40007)', () => {
    const right = mediaFileKey(undefined, ENCODING_AES_KEY);
    const wrong = mediaFileKey(PER_MESSAGE_KEY.toString('base64'), ENCODING_AES_KEY);
    const encrypted = encryptMediaFile(Buffer.from('PNG bytes'.repeat(20)), right);
    expect(catchError(() => decryptMediaFile(encrypted, wrong)).code).toBe(-40007);
    expect(catchError(() => decryptMediaFile(encrypted.subarray(0, encrypted.length - 5), right)).code).toBe(-40007);
    expect(catchError(() => decryptMediaFile(Buffer.alloc(0), right)).code).toBe(-40007);
  });
});
