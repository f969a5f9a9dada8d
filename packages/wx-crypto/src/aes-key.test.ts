import { catchError } from './testing/index.js';
import { describe, it, expect } from 'vitest';
import { decodeEncodingAesKey } from './aes-key.js';
import { SAMPLE_ENCODING_AES_KEY } from './testing/official-samples.js';


describe('decodeEncodingAesKey', () => {
  it('decodes the sample key to 32 bytes with IV = first 16 bytes', () => {
    const { key, iv } = decodeEncodingAesKey(SAMPLE_ENCODING_AES_KEY);
    expect(key.toString('hex')).toBe('8d69989bbaabe67328014c194631ad0719b3dca035b64023df292447aab60760');
    expect(iv.equals(key.subarray(0, 16))).toBe(true);
  });

  it.each([
    ['too short', SAMPLE_ENCODING_AES_KEY.slice(0, 42)],
    ['with the "=" already added', `${SAMPLE_ENCODING_AES_KEY}=`],
    ['empty', ''],
    ['with a space', ` ${SAMPLE_ENCODING_AES_KEY.slice(1)}`],
    ['base64url characters', `${SAMPLE_ENCODING_AES_KEY.slice(0, 41)}-_`],
    ['not a string', undefined as unknown as string],
  ])('rejects a key %s with IllegalAesKey (-40004)', (_label, bad) => {
    const err = catchError(() => decodeEncodingAesKey(bad));
    expect(err.code).toBe(-40004);
    expect(err.kind).toBe('IllegalAesKey');
    expect(err.message).toContain('EncodingAESKey');
    if (typeof bad === 'string' && bad.length > 0) expect(err.message).not.toContain(bad);
  });
});
