import { describe, it, expect } from 'vitest';
import { computeSignature, verifySignature } from './signature.js';
import { SAMPLE_POST, SAMPLE_TOKEN, SAMPLE_VERIFY } from './testing/official-samples.js';

describe('computeSignature', () => {
  it('reproduces the official POST sample signature', () => {
    const { timestamp, nonce, encrypt, msgSignature } = SAMPLE_POST;
    expect(computeSignature(SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(msgSignature);
  });

  it('reproduces the official verify-URL sample signature', () => {
    const { timestamp, nonce, echostr, msgSignature } = SAMPLE_VERIFY;
    expect(computeSignature(SAMPLE_TOKEN, timestamp, nonce, echostr)).toBe(msgSignature);
  });

  it('does not depend on argument order, only on the four values', () => {
    const { timestamp, nonce, encrypt } = SAMPLE_POST;
    expect(computeSignature(encrypt, nonce, SAMPLE_TOKEN, timestamp)).toBe(SAMPLE_POST.msgSignature);
  });

  it('refuses non-string input with ComputeSignatureError', () => {
    expect(() => computeSignature(SAMPLE_TOKEN, undefined as unknown as string, 'n', 'e')).toThrow(
      expect.objectContaining({ code: -40003 }),
    );
  });
});

describe('verifySignature', () => {
  const { timestamp, nonce, encrypt, msgSignature } = SAMPLE_POST;

  it('accepts the sample signature, in either case', () => {
    expect(verifySignature(msgSignature, SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(true);
    expect(verifySignature(msgSignature.toUpperCase(), SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(true);
  });

  it('rejects a tampered signature, a shorter one and an empty one without throwing', () => {
    const flipped = (msgSignature[0] === 'a' ? 'b' : 'a') + msgSignature.slice(1);
    expect(verifySignature(flipped, SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(false);
    expect(verifySignature(msgSignature.slice(0, 20), SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(false);
    expect(verifySignature('', SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(false);
  });

  it('rejects when any signed value changed, or a parameter is missing', () => {
    expect(verifySignature(msgSignature, 'other-token', timestamp, nonce, encrypt)).toBe(false);
    expect(verifySignature(msgSignature, SAMPLE_TOKEN, '1409659814', nonce, encrypt)).toBe(false);
    expect(verifySignature(undefined as unknown as string, SAMPLE_TOKEN, timestamp, nonce, encrypt)).toBe(false);
    expect(verifySignature(msgSignature, SAMPLE_TOKEN, timestamp, undefined as unknown as string, encrypt)).toBe(false);
  });
});
