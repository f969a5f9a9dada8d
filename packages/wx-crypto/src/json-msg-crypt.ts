import { WxCryptoError } from './errors.js';
import { WXBizMsgCrypt } from './wx-biz-msg-crypt.js';

/** An encrypted passive reply in the JSON variant; every field is a string (GOJSON `WXBizJsonMsg4Send`). */
export interface JsonEncryptedReply {
  readonly encrypt: string;
  readonly msgsignature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

/**
 * WXBizMsgCrypt for JSON callbacks (the WeCom AI bot's webhook mode, doc 101033): the same
 * bytes as the XML variant, which this class delegates to, in a JSON envelope: POST bodies are
 * `{"encrypt": …}`, replies `{"encrypt","msgsignature","timestamp","nonce"}`.
 *
 * Receive id: the AI bot's is "" (doc 101033: "receiveid直接传空字符串即可"), and "" means the
 * trailing receive id is not checked, as in the official Go JSON sample
 * (`len(receiver_id) > 0 && …`) and Tencent's @wecom/aibot-node-sdk. The official Python
 * library instead requires the trailing bytes to be empty. We skip because the check adds no
 * security here (forging a callback already needs the bot's Token and AES key, and nothing
 * else shares them), while a strict check would refuse every callback should WeCom ever put
 * an id there. A non-empty receive id is compared exactly. What we encrypt with "" carries
 * no trailing bytes, so strict verifiers accept it too.
 */
export class WXBizJsonMsgCrypt {
  readonly #crypt: WXBizMsgCrypt;

  constructor(token: string, encodingAesKey: string, receiveId = '') {
    this.#crypt = new WXBizMsgCrypt(token, encodingAesKey, receiveId);
  }

  /** Encrypts one message (framing, padding, base64); `random16` makes tests deterministic. */
  encrypt(plaintext: string, random16?: Buffer): string {
    return this.#crypt.encrypt(plaintext, random16);
  }

  /** Decrypts a base64 ciphertext without checking any signature. */
  decrypt(base64: string): string {
    return this.#crypt.decrypt(base64);
  }

  /** GET URL verification: checks msg_signature over echostr and returns its plaintext. */
  verifyUrl(msgSignature: string, timestamp: string, nonce: string, echostr: string): string {
    return this.#crypt.verifyUrl(msgSignature, timestamp, nonce, echostr);
  }

  /**
   * POST callback: reads `encrypt` from the JSON body, checks msg_signature over it and
   * returns the plaintext (itself JSON, left to the caller to parse).
   */
  decryptMessage(msgSignature: string, timestamp: string, nonce: string, postBody: string): string {
    return this.#crypt.decryptMessage(msgSignature, timestamp, nonce, readEncryptField(postBody));
  }

  /** Encrypts a reply and signs the new ciphertext; pass the request's timestamp and nonce to reuse them. */
  encryptReply(plaintext: string, timestamp?: string, nonce?: string): JsonEncryptedReply {
    const { encrypt, msgSignature, timestamp: ts, nonce: nc } = this.#crypt.encryptReply(plaintext, timestamp, nonce);
    return { encrypt, msgsignature: msgSignature, timestamp: ts, nonce: nc };
  }

  /** encryptReply, serialized as the body of the HTTP answer. */
  renderEncryptedJson(plaintext: string, timestamp?: string, nonce?: string): string {
    return JSON.stringify(this.encryptReply(plaintext, timestamp, nonce));
  }
}

/**
 * The `encrypt` string of a JSON envelope. WeCom's code -40002 is "ParseXmlError" in the XML
 * SDKs and "ParseJsonError" in the JSON one; the kind keeps the package's single name. The
 * JSON parser's own message is not passed on: it quotes the input.
 */
function readEncryptField(postBody: string): string {
  let envelope: unknown;
  try {
    envelope = typeof postBody === 'string' ? JSON.parse(postBody) : undefined;
  } catch {
    envelope = undefined;
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
    throw new WxCryptoError('ParseXmlError', 'the callback body is not a JSON object (expected {"encrypt": "..."})');
  }
  const encrypt: unknown = (envelope as Record<string, unknown>)['encrypt'];
  if (typeof encrypt !== 'string' || encrypt.length === 0) {
    throw new WxCryptoError('ParseXmlError', 'the callback body has no "encrypt" string');
  }
  return encrypt;
}
