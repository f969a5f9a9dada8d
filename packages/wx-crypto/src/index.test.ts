import { describe, it, expect } from 'vitest';
import * as wxCrypto from './index.js';
import { SAMPLE_CORP_ID, SAMPLE_ENCODING_AES_KEY, SAMPLE_TOKEN, SAMPLE_VERIFY } from './testing/official-samples.js';

describe('public surface', () => {
  it('exports what the channels use', () => {
    expect(Object.keys(wxCrypto).sort()).toEqual(
      [
        'PLAIN_AES_PAD_BLOCK',
        'WXBizMsgCrypt',
        'WXBizJsonMsgCrypt',
        'WX_PAD_BLOCK',
        'decryptMediaFile',
        'encryptMediaFile',
        'mediaFileKey',
        'WxCryptoError',
        'WxCryptoErrorCode',
        'computeSignature',
        'decodeEncodingAesKey',
        'decryptPlainAes',
        'describeAesKeyProblem',
        'encryptPlainAes',
        'pkcs7Pad',
        'pkcs7Unpad',
        'renderEncryptedXml',
        'verifySignature',
      ].sort(),
    );
    const c = new wxCrypto.WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, SAMPLE_CORP_ID);
    const { msgSignature, timestamp, nonce, echostr } = SAMPLE_VERIFY;
    expect(c.verifyUrl(msgSignature, timestamp, nonce, echostr)).toBe('1616140317555161061');
    expect(wxCrypto.WxCryptoErrorCode.ValidateCorpidError).toBe(-40005);
  });

  it('refuses a non-string receive id at construction', () => {
    expect(() => new wxCrypto.WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, undefined as unknown as string)).toThrow(TypeError);
  });
});
