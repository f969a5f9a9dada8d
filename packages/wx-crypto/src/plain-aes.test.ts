import { catchError, rawEncrypt } from './testing/index.js';
import { describe, it, expect } from 'vitest';
import { decryptPlainAes, encryptPlainAes, PLAIN_AES_PAD_BLOCK } from './plain-aes.js';
import { pkcs7Pad } from './pkcs7.js';
import { SAMPLE_ENCODING_AES_KEY } from './testing/official-samples.js';

/**
 * No published ciphertext exists for the skill API, so the reference vectors below were made
 * with an independent implementation, the OpenSSL 3.0 CLI (AES PKCS#7, 16-byte block):
 *   printf '%s' "$TEXT" | openssl enc -aes-256-cbc -K <hex key> -iv <first 16 key bytes> -base64 -A
 * with the key decoded from WeCom's sample EncodingAESKey.
 */
const OPENSSL_VECTORS = [
  {
    text: '{"RequestId":"req-1","Query":"明天北京天气","SkillName":"天气","IntentName":"查天气"}',
    // 96 UTF-8 bytes: a full 16-byte pad block (a 32-byte reading would also add 32 bytes).
    base64:
      'nZ4GVC4GqVJsXITdAVY5qOlkPo2p0cjsu2A1svGn3RkGpxFY4pgSSIe1Vd/TqbId+OMSpEVL4CEbxHDGb3mtFQQHkZ2Tr9GUXpErsY/k+mBZDotW8hAQUGzSC/NMxS5mVwT+9e8i0w6rpU1UeJD8jg==',
  },
  {
    text: '{"answer_type":"text","text_info":{"short_answer":"晴"}}',
    base64: 'tjVCv17aCHwYn2anY2f8tBmUN/BosoEtjFZeDjO8SDVZKGO/DzBV/kUcHH/PN2nggRuP/yrtNxjx0amiwkJ5MA==',
  },
];



describe('plain AES (dialogue platform skill API)', () => {
  it('pads to 16-byte blocks when encrypting', () => {
    expect(PLAIN_AES_PAD_BLOCK).toBe(16);
  });

  it.each(OPENSSL_VECTORS)('matches the OpenSSL reference vector both ways', ({ text, base64 }) => {
    expect(encryptPlainAes(SAMPLE_ENCODING_AES_KEY, text)).toBe(base64);
    expect(decryptPlainAes(SAMPLE_ENCODING_AES_KEY, base64)).toBe(text);
  });

  it.each(['', 'a', 'x'.repeat(15), 'x'.repeat(16), 'x'.repeat(31), 'x'.repeat(32), '中文和 emoji 🎉'])(
    'round-trips %j',
    (text) => {
      const enc = encryptPlainAes(SAMPLE_ENCODING_AES_KEY, text);
      expect(Buffer.from(enc, 'base64').length % 16).toBe(0);
      expect(decryptPlainAes(SAMPLE_ENCODING_AES_KEY, enc)).toBe(text);
    },
  );

  it('also decrypts a body padded WXBizMsgCrypt-style to 32-byte blocks', () => {
    const text = '{"k":"v"}'; // 9 bytes: a 23-byte pad, impossible with 16-byte PKCS#7
    const enc = rawEncrypt(pkcs7Pad(Buffer.from(text), 32));
    expect(decryptPlainAes(SAMPLE_ENCODING_AES_KEY, enc)).toBe(text);
  });

  it('rejects bad base64 (-40010), bad padding (-40007) and a bad key (-40004)', () => {
    expect(catchError(() => decryptPlainAes(SAMPLE_ENCODING_AES_KEY, '{"not":"encrypted"}')).code).toBe(-40010);
    const badPad = rawEncrypt(Buffer.concat([Buffer.alloc(15, 0x61), Buffer.from([0])]));
    expect(catchError(() => decryptPlainAes(SAMPLE_ENCODING_AES_KEY, badPad)).code).toBe(-40007);
    expect(catchError(() => encryptPlainAes('short', 'x')).code).toBe(-40004);
  });

  it('fails with a 400-class error under the wrong key, without echoing secrets', () => {
    const otherKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const text = 'confidential body';
    const enc = encryptPlainAes(SAMPLE_ENCODING_AES_KEY, text);
    const err = catchError(() => decryptPlainAes(otherKey, enc));
    expect(err.httpStatus).toBe(400);
    for (const secret of [otherKey, SAMPLE_ENCODING_AES_KEY, text, enc]) expect(err.message).not.toContain(secret);
  });
});
