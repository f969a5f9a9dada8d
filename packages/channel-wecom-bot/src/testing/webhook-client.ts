import { randomBytes, randomInt } from 'node:crypto';
import { WXBizJsonMsgCrypt, computeSignature, type JsonEncryptedReply } from '@wecom-bot/wx-crypto';

export interface WebhookClientOptions {
  /** The webhook URL, e.g. http://127.0.0.1:PORT/wecombot */
  url: string;
  token: string;
  aesKey: string;
  /** What WeCom frames its ciphertexts with; "" for the AI bot. */
  receiveId?: string;
}

/** A signed, encrypted callback ready to send: the URL with its query, and the JSON body. */
export interface PreparedCallback {
  url: string;
  body: string;
  timestamp: string;
  nonce: string;
}

export interface WebhookAnswer {
  status: number;
  body: string;
  contentType: string | null;
  /** The encrypted envelope of a non-empty 200 answer. */
  envelope?: JsonEncryptedReply;
  /** Its decrypted (and signature-checked) plaintext, and that parsed as JSON. */
  replyText?: string;
  reply?: Record<string, unknown>;
  /** The timestamp and nonce of the request that got this answer. */
  sent?: { timestamp: string; nonce: string };
}

/**
 * Plays WeCom's side of the AI bot's webhook: URL verification (GET with an encrypted echostr),
 * callbacks encrypted and signed with the bot's Token and EncodingAESKey (POST), and decryption
 * of our encrypted answers, whose signature it checks as WeCom would.
 */
export class WecomWebhookClient {
  readonly crypt: WXBizJsonMsgCrypt;
  #msgSeq = 0;

  constructor(private readonly options: WebhookClientOptions) {
    this.crypt = new WXBizJsonMsgCrypt(options.token, options.aesKey, options.receiveId ?? '');
  }

  /** GET ?msg_signature&timestamp&nonce&echostr, as the admin console does when the URL is saved. */
  async verifyUrl(echo = String(randomInt(1e9, 1e10))): Promise<WebhookAnswer & { echo: string }> {
    const echostr = this.crypt.encrypt(echo);
    const { timestamp, nonce } = stamp();
    const query = new URLSearchParams({ msg_signature: computeSignature(this.options.token, timestamp, nonce, echostr), timestamp, nonce, echostr });
    const response = await fetch(`${this.options.url}?${query}`);
    return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type'), echo };
  }

  /** Encrypts and signs a callback body; another crypt or token makes the wrong-key cases. */
  prepare(callback: Record<string, unknown> | string, crypt: WXBizJsonMsgCrypt = this.crypt, token = this.options.token): PreparedCallback {
    const encrypt = crypt.encrypt(typeof callback === 'string' ? callback : JSON.stringify(callback));
    const { timestamp, nonce } = stamp();
    const query = new URLSearchParams({ msg_signature: computeSignature(token, timestamp, nonce, encrypt), timestamp, nonce });
    return { url: `${this.options.url}?${query}`, body: JSON.stringify({ encrypt }), timestamp, nonce };
  }

  /** POSTs one message or event callback. */
  postMessage(callback: Record<string, unknown>): Promise<WebhookAnswer> {
    return this.send(this.prepare(callback));
  }

  /** POSTs WeCom's stream refresh poll for `streamId`. */
  refresh(streamId: string, extra: Record<string, unknown> = {}): Promise<WebhookAnswer> {
    return this.postMessage({ msgid: this.nextMsgId(), aibotid: 'aibTEST', chattype: 'single', from: { userid: 'zhangsan' }, ...extra, msgtype: 'stream', stream: { id: streamId } });
  }

  /** Sends a prepared (or hand-made) request; decrypts the answer when it carries one. */
  async send(request: PreparedCallback | { url: string; body: string }): Promise<WebhookAnswer> {
    const response = await fetch(request.url, { method: 'POST', body: request.body, headers: { 'content-type': 'application/json' } });
    const body = await response.text();
    const answer: WebhookAnswer = { status: response.status, body, contentType: response.headers.get('content-type') };
    if ('timestamp' in request) answer.sent = { timestamp: request.timestamp, nonce: request.nonce };
    if (response.status === 200 && body !== '') {
      const envelope = JSON.parse(body) as JsonEncryptedReply;
      answer.envelope = envelope;
      answer.replyText = this.crypt.decryptMessage(envelope.msgsignature, envelope.timestamp, envelope.nonce, body);
      answer.reply = JSON.parse(answer.replyText) as Record<string, unknown>;
    }
    return answer;
  }

  /** A text message as WeCom delivers it (single chat unless `fields` says otherwise). */
  text(content: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      msgid: this.nextMsgId(),
      aibotid: 'aibTEST',
      chattype: 'single',
      from: { userid: 'zhangsan' },
      response_url: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=TEST',
      msgtype: 'text',
      text: { content },
      ...fields,
    };
  }

  nextMsgId(): string {
    this.#msgSeq += 1;
    return `${randomBytes(8).toString('hex')}${this.#msgSeq}`;
  }
}

function stamp(): { timestamp: string; nonce: string } {
  return { timestamp: String(Math.floor(Date.now() / 1000)), nonce: String(randomInt(1e9, 1e10)) };
}
