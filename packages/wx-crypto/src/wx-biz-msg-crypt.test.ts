import { catchError, rawEncrypt } from './testing/index.js';
import { describe, it, expect } from 'vitest';
import { WXBizMsgCrypt } from './wx-biz-msg-crypt.js';
import { WxCryptoError } from './errors.js';
import { computeSignature, verifySignature } from './signature.js';
import {
  SAMPLE_CORP_ID,
  SAMPLE_ENCODING_AES_KEY,
  SAMPLE_POST,
  SAMPLE_POST_PLAINTEXT,
  SAMPLE_REPLY_XML,
  SAMPLE_TOKEN,
  SAMPLE_VERIFY,
  SAMPLE_VERIFY_PLAINTEXT,
} from './testing/official-samples.js';

// Official sample data: see testing/official-samples.ts (sbzhu/weworkapi_php callback/Sample.php).



const crypt = () => new WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, SAMPLE_CORP_ID);

describe('WXBizMsgCrypt on the official samples', () => {
  it('verifyUrl: the sample echostr verifies and decrypts', () => {
    const { msgSignature, timestamp, nonce, echostr } = SAMPLE_VERIFY;
    expect(crypt().verifyUrl(msgSignature, timestamp, nonce, echostr)).toBe(SAMPLE_VERIFY_PLAINTEXT);
  });

  it('decryptMessage: the sample POST Encrypt decrypts to the documented XML', () => {
    const { msgSignature, timestamp, nonce, encrypt } = SAMPLE_POST;
    expect(crypt().decryptMessage(msgSignature, timestamp, nonce, encrypt)).toBe(SAMPLE_POST_PLAINTEXT);
  });

  it('encrypt reproduces both official ciphertexts byte for byte given their random prefixes', () => {
    // The SDK's random prefix is 16 ASCII characters; these are the ones inside the samples.
    expect(crypt().encrypt(SAMPLE_POST_PLAINTEXT, Buffer.from('0960688932c47ef1'))).toBe(SAMPLE_POST.encrypt);
    expect(crypt().encrypt(SAMPLE_VERIFY_PLAINTEXT, Buffer.from('c41b64491c2468d0'))).toBe(SAMPLE_VERIFY.echostr);
  });

  it('an empty receive id skips the receive-id check', () => {
    const any = new WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, '');
    expect(any.decrypt(SAMPLE_POST.encrypt)).toBe(SAMPLE_POST_PLAINTEXT);
  });
});

describe('WXBizMsgCrypt encrypt / reply', () => {
  it('round-trips with a fixed random prefix, deterministically, in 32-byte blocks', () => {
    const random = Buffer.alloc(16, 7);
    const text = '你好, WeCom 👋 <xml/>';
    const a = crypt().encrypt(text, random);
    expect(a).toBe(crypt().encrypt(text, random));
    expect(Buffer.from(a, 'base64').length % 32).toBe(0);
    expect(crypt().decrypt(a)).toBe(text);
  });

  it('round-trips an empty message and differs per random prefix by default', () => {
    expect(crypt().decrypt(crypt().encrypt(''))).toBe('');
    expect(crypt().encrypt('x')).not.toBe(crypt().encrypt('x'));
  });

  it('encryptReply signs the new ciphertext, and decryptMessage accepts it', () => {
    const reply = crypt().encryptReply(SAMPLE_REPLY_XML, SAMPLE_POST.timestamp, SAMPLE_POST.nonce);
    expect(reply.timestamp).toBe(SAMPLE_POST.timestamp);
    expect(reply.nonce).toBe(SAMPLE_POST.nonce);
    expect(reply.msgSignature).toBe(computeSignature(SAMPLE_TOKEN, reply.timestamp, reply.nonce, reply.encrypt));
    expect(verifySignature(reply.msgSignature, SAMPLE_TOKEN, reply.timestamp, reply.nonce, reply.encrypt)).toBe(true);
    expect(crypt().decryptMessage(reply.msgSignature, reply.timestamp, reply.nonce, reply.encrypt)).toBe(SAMPLE_REPLY_XML);
  });

  it('encryptReply fills in a current timestamp and a numeric nonce', () => {
    const before = Math.floor(Date.now() / 1000);
    const reply = crypt().encryptReply('<xml/>');
    expect(Number(reply.timestamp)).toBeGreaterThanOrEqual(before);
    expect(reply.nonce).toMatch(/^\d{10}$/);
  });

  it('encryptReply refuses a nonce or timestamp that could break the XML', () => {
    expect(() => crypt().encryptReply('<xml/>', '1409659813', 'a]]>b')).toThrow(WxCryptoError);
    expect(() => crypt().encryptReply('<xml/>', 'now', '123')).toThrow(WxCryptoError);
  });

  it('renderEncryptedXml produces the passive-reply envelope', () => {
    const xml = crypt().renderEncryptedXml(SAMPLE_REPLY_XML, '1409659813', '1372623149');
    const m = /^<xml><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt><MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]><\/MsgSignature><TimeStamp>1409659813<\/TimeStamp><Nonce><!\[CDATA\[1372623149\]\]><\/Nonce><\/xml>$/.exec(xml);
    expect(m).not.toBeNull();
    expect(crypt().decryptMessage(m![2]!, '1409659813', '1372623149', m![1]!)).toBe(SAMPLE_REPLY_XML);
  });
});

describe('WXBizMsgCrypt failures', () => {
  const { msgSignature, timestamp, nonce, encrypt } = SAMPLE_POST;

  it('a tampered signature is ValidateSignatureError (-40001), HTTP 401', () => {
    const bad = `${msgSignature.slice(0, -1)}${msgSignature.endsWith('0') ? '1' : '0'}`;
    const err = catchError(() => crypt().decryptMessage(bad, timestamp, nonce, encrypt));
    expect(err.code).toBe(-40001);
    expect(err.kind).toBe('ValidateSignatureError');
    expect(err.httpStatus).toBe(401);
    expect(catchError(() => crypt().verifyUrl(SAMPLE_VERIFY.msgSignature, timestamp, nonce, SAMPLE_VERIFY.echostr)).code).toBe(-40001);
  });

  it('a tampered ciphertext fails the signature before any decryption', () => {
    const tampered = `A${encrypt.slice(1)}`;
    expect(catchError(() => crypt().decryptMessage(msgSignature, timestamp, nonce, tampered)).code).toBe(-40001);
  });

  it('a wrong receive id is ValidateCorpidError (-40005), HTTP 403', () => {
    const other = new WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, 'ww0000000000000000');
    const err = catchError(() => other.decryptMessage(msgSignature, timestamp, nonce, encrypt));
    expect(err.code).toBe(-40005);
    expect(err.httpStatus).toBe(403);
    // A prefix of the real id must not pass either.
    const prefix = new WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY, SAMPLE_CORP_ID.slice(0, -1));
    expect(catchError(() => prefix.decrypt(encrypt)).code).toBe(-40005);
  });

  it('a bad key length is IllegalAesKey (-40004) at construction', () => {
    const err = catchError(() => new WXBizMsgCrypt(SAMPLE_TOKEN, SAMPLE_ENCODING_AES_KEY.slice(1), SAMPLE_CORP_ID));
    expect(err.code).toBe(-40004);
    expect(err.httpStatus).toBe(500);
  });

  it('an empty token is refused at construction', () => {
    expect(() => new WXBizMsgCrypt('', SAMPLE_ENCODING_AES_KEY, SAMPLE_CORP_ID)).toThrow(WxCryptoError);
  });

  it.each([
    ['junk characters', 'not base64!'],
    ['missing "=" padding', SAMPLE_VERIFY.echostr.replace(/=+$/, '')],
    ['base64url alphabet', SAMPLE_VERIFY.echostr.replace(/\//g, '_').replace(/\+/g, '-')],
    ['a space where "+" was (query not URL-decoded properly)', SAMPLE_VERIFY.echostr.replace(/\+/g, ' ')],
    ['empty', ''],
  ])('bad base64 (%s) is DecodeBase64Error (-40010), HTTP 400', (_label, bad) => {
    const err = catchError(() => crypt().decrypt(bad));
    expect(err.code).toBe(-40010);
    expect(err.httpStatus).toBe(400);
  });

  it('a ciphertext that is not whole AES blocks is DecryptAESError (-40007)', () => {
    expect(catchError(() => crypt().decrypt(Buffer.alloc(24, 1).toString('base64'))).code).toBe(-40007);
  });

  it('bad padding is DecryptAESError (-40007)', () => {
    const zeroPad = Buffer.concat([Buffer.alloc(31, 0x61), Buffer.from([0])]);
    const mixedPad = Buffer.concat([Buffer.alloc(28, 0x61), Buffer.from([4, 4, 3, 4])]);
    const overPad = Buffer.concat([Buffer.alloc(63, 0x61), Buffer.from([33])]);
    for (const plain of [zeroPad, mixedPad, overPad]) {
      const err = catchError(() => crypt().decrypt(rawEncrypt(plain)));
      expect(err.code).toBe(-40007);
      expect(err.httpStatus).toBe(400);
    }
  });

  it('a length field pointing past the data, or a short buffer, is IllegalBuffer (-40008)', () => {
    const header = Buffer.alloc(20, 0x61);
    header.writeUInt32BE(1000, 16);
    const tooLong = Buffer.concat([header, Buffer.from('hello'), Buffer.alloc(7, 7)]);
    expect(catchError(() => crypt().decrypt(rawEncrypt(tooLong))).code).toBe(-40008);
    const short = Buffer.concat([Buffer.alloc(10, 0x61), Buffer.alloc(22, 22)]);
    expect(catchError(() => crypt().decrypt(rawEncrypt(short))).code).toBe(-40008);
  });

  it('invalid UTF-8 in the message is IllegalBuffer (-40008)', () => {
    const header = Buffer.alloc(20, 0x61);
    header.writeUInt32BE(2, 16);
    const body = Buffer.concat([header, Buffer.from([0xc3, 0x28]), Buffer.from(SAMPLE_CORP_ID)]);
    const padded = Buffer.concat([body, Buffer.alloc(32 - (body.length % 32), 32 - (body.length % 32))]);
    expect(catchError(() => crypt().decrypt(rawEncrypt(padded))).code).toBe(-40008);
  });

  it('no error message contains the key, the token, the plaintext or the ciphertext', () => {
    const secretToken = 'TokenXyz123Secret';
    const secretKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const c = new WXBizMsgCrypt(secretToken, secretKey, 'wwcorp');
    const plaintext = 'confidential-plaintext-42';
    const ciphertext = c.encrypt(plaintext);
    const other = new WXBizMsgCrypt(secretToken, secretKey, 'wwother');
    const wrongKey = new WXBizMsgCrypt(secretToken, SAMPLE_ENCODING_AES_KEY, 'wwcorp');
    const errors = [
      catchError(() => new WXBizMsgCrypt(secretToken, `${secretKey}X`, 'wwcorp')),
      catchError(() => new WXBizMsgCrypt(secretToken, `${secretKey.slice(1)}!`, 'wwcorp')),
      catchError(() => c.decryptMessage('0'.repeat(40), '1', '2', ciphertext)),
      catchError(() => other.decrypt(ciphertext)),
      catchError(() => wrongKey.decrypt(ciphertext)),
      catchError(() => c.decrypt(`${ciphertext}!`)),
      catchError(() => c.encryptReply(plaintext, 'x', '1')),
    ];
    for (const err of errors) {
      for (const secret of [secretToken, secretKey, secretKey.slice(0, 20), plaintext, ciphertext, ciphertext.slice(0, 20)]) {
        expect(err.message).not.toContain(secret);
      }
      expect(String(err)).not.toContain(secretKey);
    }
  });
});
