import { randomBytes, randomInt } from 'node:crypto';
import { decodeEncodingAesKey, type AesKey } from './aes-key.js';
import { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc.js';
import { decodeBase64Strict, decodeUtf8Strict } from './encoding.js';
import { renderEncryptedXml, type EncryptedReply } from './encrypted-xml.js';
import { WxCryptoError } from './errors.js';
import { pkcs7Pad, pkcs7Unpad, WX_PAD_BLOCK } from './pkcs7.js';
import { computeSignature, verifySignature } from './signature.js';

const RANDOM_LENGTH = 16;
const LENGTH_FIELD = 4;
const HEADER = RANDOM_LENGTH + LENGTH_FIELD;

/**
 * WeCom / WeChat callback crypto (doc 90968, the WXBizMsgCrypt reference SDKs).
 *
 * Plaintext layout: 16 random bytes | uint32 big-endian message length | UTF-8 message |
 * receive id; PKCS#7 to 32-byte blocks; AES-256-CBC with IV = key[0:16]; base64.
 * The receive id is the corp id for a self-built app, the suite id for a third-party suite,
 * the APPID on the dialogue platform; pass "" to skip that check where it has no meaning.
 */
export class WXBizMsgCrypt {
  readonly #token: string;
  readonly #aes: AesKey;
  readonly #receiveId: string;

  constructor(token: string, encodingAesKey: string, receiveId: string) {
    if (typeof token !== 'string' || token.length === 0) {
      throw new WxCryptoError('ComputeSignatureError', 'Token must be a non-empty string (copy it from the callback settings)');
    }
    if (typeof receiveId !== 'string') {
      // A configuration mistake, not a bad request: no WeCom code fits.
      throw new TypeError('receive id must be a string (the corp id or app id; "" skips the check)');
    }
    this.#token = token;
    this.#aes = decodeEncodingAesKey(encodingAesKey);
    this.#receiveId = receiveId;
  }

  /** Encrypts a message. `random16` exists so tests can be deterministic; omit it otherwise. */
  encrypt(plaintext: string, random16: Buffer = randomBytes(RANDOM_LENGTH)): string {
    if (random16.length !== RANDOM_LENGTH) {
      throw new WxCryptoError('EncryptAESError', `the random prefix must be exactly ${RANDOM_LENGTH} bytes`);
    }
    const message = Buffer.from(plaintext, 'utf8');
    const length = Buffer.alloc(LENGTH_FIELD);
    length.writeUInt32BE(message.length);
    const framed = Buffer.concat([random16, length, message, Buffer.from(this.#receiveId, 'utf8')]);
    return aesCbcEncrypt(this.#aes, pkcs7Pad(framed, WX_PAD_BLOCK)).toString('base64');
  }

  /** Decrypts a base64 ciphertext and checks its framing and receive id. */
  decrypt(base64: string): string {
    const framed = pkcs7Unpad(aesCbcDecrypt(this.#aes, decodeBase64Strict(base64, 'ciphertext')), WX_PAD_BLOCK);
    if (framed.length < HEADER) {
      throw new WxCryptoError('IllegalBuffer', 'decrypted data is shorter than the 20-byte random + length header');
    }
    const messageLength = framed.readUInt32BE(RANDOM_LENGTH);
    if (messageLength > framed.length - HEADER) {
      throw new WxCryptoError('IllegalBuffer', 'the length field of the decrypted data points past its end');
    }
    const message = framed.subarray(HEADER, HEADER + messageLength);
    const receiveId = framed.subarray(HEADER + messageLength);
    if (this.#receiveId !== '' && !receiveId.equals(Buffer.from(this.#receiveId, 'utf8'))) {
      throw new WxCryptoError(
        'ValidateCorpidError',
        'the message was encrypted for another receive id (check the configured corp id / app id)',
      );
    }
    return decodeUtf8Strict(message, 'IllegalBuffer', 'decrypted message');
  }

  /** GET callback check: verifies msg_signature over echostr, returns the text to answer with. */
  verifyUrl(msgSignature: string, timestamp: string, nonce: string, echostr: string): string {
    this.#verify(msgSignature, timestamp, nonce, echostr);
    return this.decrypt(echostr);
  }

  /** POST callback: verifies msg_signature over the <Encrypt> value, returns the plaintext XML. */
  decryptMessage(msgSignature: string, timestamp: string, nonce: string, encrypt: string): string {
    this.#verify(msgSignature, timestamp, nonce, encrypt);
    return this.decrypt(encrypt);
  }

  /** Encrypts a passive reply and signs the new ciphertext (not the inbound one). */
  encryptReply(replyXml: string, timestamp?: string, nonce?: string): EncryptedReply {
    const ts = timestamp ?? String(Math.floor(Date.now() / 1000));
    // Numeric like WeCom's own nonces; alphanumeric is accepted from callers.
    const nc = nonce ?? String(randomInt(1_000_000_000, 10_000_000_000));
    if (!/^\d{1,20}$/.test(ts) || !/^[A-Za-z0-9]{1,64}$/.test(nc)) {
      throw new WxCryptoError(
        'ComputeSignatureError',
        'reply timestamp must be decimal digits and nonce 1-64 letters or digits',
      );
    }
    const encrypt = this.encrypt(replyXml);
    return { encrypt, msgSignature: computeSignature(this.#token, ts, nc, encrypt), timestamp: ts, nonce: nc };
  }

  /** encryptReply, rendered as the <xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml> body. */
  renderEncryptedXml(replyXml: string, timestamp?: string, nonce?: string): string {
    return renderEncryptedXml(this.encryptReply(replyXml, timestamp, nonce));
  }

  #verify(msgSignature: string, timestamp: string, nonce: string, encrypted: string): void {
    if (!verifySignature(msgSignature, this.#token, timestamp, nonce, encrypted)) {
      throw new WxCryptoError(
        'ValidateSignatureError',
        'msg_signature does not match (check Token, and that query parameters are URL-decoded and complete)',
      );
    }
  }
}
