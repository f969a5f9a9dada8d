import { randomBytes, randomInt } from 'node:crypto';
import { WXBizMsgCrypt, computeSignature } from '@wecom-bot/wx-crypto';
import { parseEncryptedEnvelope } from '../xml/parse-message.js';
import { cdata } from '../xml/render-passive-reply.js';

export interface CallbackClientOptions {
  /** The callback URL, e.g. http://127.0.0.1:PORT/wxcomapp */
  url: string;
  token: string;
  aesKey: string;
  corpId: string;
}

export interface CallbackAnswer {
  status: number;
  body: string;
  /** The decrypted passive reply, when the answer carried one. */
  reply?: string;
}

/** A signed, encrypted POST ready to send: the URL with its query, and the XML body. */
export interface PreparedCallback {
  url: string;
  body: string;
}

/**
 * Plays WeCom's side of the callback: GET verification with an encrypted echostr, and POSTs
 * of messages encrypted and signed with the app's Token and EncodingAESKey.
 */
export class WecomCallbackClient {
  readonly crypt: WXBizMsgCrypt;

  constructor(private readonly options: CallbackClientOptions) {
    this.crypt = new WXBizMsgCrypt(options.token, options.aesKey, options.corpId);
  }

  /** GET ?msg_signature&timestamp&nonce&echostr, as the admin console does when the URL is saved. */
  async verify(echo = String(randomInt(1e9, 1e10))): Promise<CallbackAnswer> {
    const echostr = this.crypt.encrypt(echo);
    const { timestamp, nonce } = stamp();
    const query = new URLSearchParams({ msg_signature: computeSignature(this.options.token, timestamp, nonce, echostr), timestamp, nonce, echostr });
    const response = await fetch(`${this.options.url}?${query}`);
    return { status: response.status, body: await response.text() };
  }

  /** Encrypts and signs a plaintext message XML (with another crypt for the wrong-key cases). */
  prepare(plainXml: string, crypt: WXBizMsgCrypt = this.crypt, token = this.options.token): PreparedCallback {
    const encrypt = crypt.encrypt(plainXml);
    const { timestamp, nonce } = stamp();
    const query = new URLSearchParams({ msg_signature: computeSignature(token, timestamp, nonce, encrypt), timestamp, nonce });
    const body = `<xml><ToUserName>${cdata(this.options.corpId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>${cdata('1000002')}</AgentID></xml>`;
    return { url: `${this.options.url}?${query}`, body };
  }

  async post(plainXml: string): Promise<CallbackAnswer> {
    return this.send(this.prepare(plainXml));
  }

  /** Sends a prepared (or hand-made) request; decrypts a passive reply if there is one. */
  async send(request: PreparedCallback): Promise<CallbackAnswer> {
    const response = await fetch(request.url, { method: 'POST', body: request.body, headers: { 'content-type': 'text/xml' } });
    const body = await response.text();
    const answer: CallbackAnswer = { status: response.status, body };
    if (response.status === 200 && body.includes('<Encrypt>')) {
      const envelope = parseEncryptedEnvelope(body);
      const signature = /<MsgSignature><!\[CDATA\[([^\]]+)\]\]>/.exec(body)?.[1] ?? '';
      const timestamp = /<TimeStamp>(\d+)<\/TimeStamp>/.exec(body)?.[1] ?? '';
      const nonce = /<Nonce><!\[CDATA\[([^\]]+)\]\]>/.exec(body)?.[1] ?? '';
      answer.reply = this.crypt.decryptMessage(signature, timestamp, nonce, envelope.encrypt);
    }
    return answer;
  }
}

/** A decrypted inbound message as WeCom writes it: strings in CDATA, numbers bare. */
export function inboundXml(fields: Record<string, string | number>): string {
  const children = Object.entries(fields)
    .map(([name, value]) => `<${name}>${typeof value === 'number' ? value : cdata(value)}</${name}>`)
    .join('');
  return `<xml>${children}</xml>`;
}

/** The common head of a member's message to the app. */
export function memberMessage(corpId: string, from: string, msgType: string, fields: Record<string, string | number>): string {
  return inboundXml({ ToUserName: corpId, FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: msgType, ...fields, AgentID: 1000002 });
}

let lastMsgId = BigInt(Date.now()) * 1000n;
/** A fresh 64-bit-looking MsgId. */
export function nextMsgId(): string {
  lastMsgId += 1n;
  return String(7_000_000_000_000_000_000n + lastMsgId);
}

function stamp(): { timestamp: string; nonce: string } {
  return { timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomBytes(5).readUInt32BE(0).toString() };
}
