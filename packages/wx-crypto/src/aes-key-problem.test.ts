import { describe, expect, it } from 'vitest';
import { describeAesKeyProblem } from './aes-key-problem.js';
import { SAMPLE_ENCODING_AES_KEY } from './testing/official-samples.js';

const K = SAMPLE_ENCODING_AES_KEY;

describe('describeAesKeyProblem', () => {
  it('accepts the console form and leaves surrounding whitespace to the loader', () => {
    expect(describeAesKeyProblem('k', K)).toBeUndefined();
    expect(describeAesKeyProblem('k', `${K} `)).toBeUndefined();
    expect(describeAesKeyProblem('k', '')).toBeUndefined();
  });

  it('names a bad character and where it is, never a contradictory length, never the key', () => {
    const dash = `${K.slice(0, 11)}-${K.slice(12)}`;
    const message = describeAesKeyProblem('wechatcomapp_aes_key', dash)!;
    expect(message).toMatch(/has "-" \(base64url.*\) at position 12 of 43/);
    expect(message).not.toMatch(/43-character|got 43/);
    expect(message).not.toContain(dash);
    expect(describeAesKeyProblem('k', `${K.slice(0, 20)} ${K.slice(21)}`)).toMatch(/a space at position 21 of 43/);
  });

  it('says which way the length is off, and what to do with a trailing "="', () => {
    expect(describeAesKeyProblem('k', K.slice(0, 42))).toMatch(/is 42 characters long; an EncodingAESKey has exactly 43: part of it is missing/);
    expect(describeAesKeyProblem('k', `${K}A`)).toMatch(/is 44 characters long.*something was added/);
    expect(describeAesKeyProblem('k', `${K}=`)).toMatch(/ends with "=".*remove the "="/);
  });
});
