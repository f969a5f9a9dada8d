/**
 * Test support: reference data, an independent node:crypto implementation of the platform's
 * crypto (so tests do not check our code against itself), a loopback server that speaks
 * openapi/sendmsg, and a started channel on a real core container.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { textReply, type AppConfig, type Bot, type Context, type Reply, type Stores } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { WechatChatbotChannel } from '../channel.js';
import { wechatChatbotIntegration } from '../integration.js';

/**
 * A customer-service callback as the platform really sent it, with the bot's credentials, from
 * a public GitHub sample server for openapi/sendmsg (an Express app with `decryptToJson`,
 * `encryptMessage` and `sendAPIEndpoint`, stored in our code index as file id 4968266486; the
 * index does not name its repository). The ciphertext is the commented `message` there, the
 * AES key its `aesBase64Key`, the TOKEN the last segment of its `sendAPIEndpoint`.
 * Decrypting it with IV = key[0:16] gives WXBizMsgCrypt framing whose receive id is
 * "TeRqEgcgCHWMK1f" (the bot's APPID, 15 characters like the doc's example APPID) and the XML
 * below: `content` is an element holding `msg`, `createtime` is in milliseconds, and for the
 * H5 channel (7) `appid` carries the TOKEN, as sendmsg's doc says ("渠道为7时…传入token").
 */
export const REAL_KEFU = {
  token: 'fWjBEcv7W6cNEupm0uPssL5O5JBUt3',
  aesKey: 'an7QvFSuAWe4iNE2b6viiGnaMXTVuEBbKUlFWJcYynB',
  appid: 'TeRqEgcgCHWMK1f',
  encrypted:
    'CF9ix1B1EPnFz1kFfq9cfIa3Cwai4KgpYnUcoJuB0U8xtPUgeceWhkac9nH0byLFsic4RdYWfMquFIffrILg0dN8CQhOhzS9jNcx/Q9n0mTIYOBauxSvD5u89LNrHYT5SQj3Gxyab8iG3p3CLTC55QNIGQ++kEcnytgxp6U+cM6lwvMO4iG8SvuFNzfmelptR/Wyn8mHtV3m7PmeSldQluCCBS1UrGV30aYvByT0mTyqCFody627Xo86/cyGcteS/CwnMapWFQTlLPVXjkQvB1/eh5tqsIX0Iis7oCqg3WoZCj3T5Vs/vmLMuWgMI5IwMoJ3IUxLz38PT+mptM4DVdEu4rNiUUKaD02RdyN4E7T3I/caRumoCDc7l4ubqzJ/ECrl5ymjjq4deQpxUNt13XzjzOug+TIGB4O0/5a3M20TRJ/j9qKp4APBJYtmFTETIFgqt5ng/D6CEGHciHg8BQp/AgHndff7gD0EgoQ3elFl1TsEIBHChE0DHVoR/Tqa',
  userid: 'Z7HCbWsYiLf',
  text: 'hahah',
  channel: '7',
} as const;

// ---- independent reference crypto (node:crypto only, none of our modules) ----

const keyOf = (encodingAesKey: string) => Buffer.from(`${encodingAesKey}=`, 'base64');

/** Skill API body: base64(AES-256-CBC(PKCS#7(text))), IV = key[0:16] (doc aispeech/confapi/thirdapi). */
export function refPlainEncrypt(encodingAesKey: string, text: string): string {
  const key = keyOf(encodingAesKey);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]).toString('base64');
}

export function refPlainDecrypt(encodingAesKey: string, b64: string): string {
  const key = keyOf(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  return Buffer.concat([decipher.update(Buffer.from(b64, 'base64')), decipher.final()]).toString('utf8');
}

/** WXBizMsgCrypt plaintext: random16 | len32be | message | receiveId, PKCS#7 to 32. */
export function refWxEncrypt(encodingAesKey: string, message: string, receiveId: string): string {
  const key = keyOf(encodingAesKey);
  const body = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const framed = Buffer.concat([randomBytes(16), len, body, Buffer.from(receiveId, 'utf8')]);
  const pad = 32 - (framed.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([framed, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

export function refWxDecrypt(encodingAesKey: string, b64: string): { message: string; receiveId: string } {
  const key = keyOf(encodingAesKey);
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(b64, 'base64')), decipher.final()]);
  const unpadded = plain.subarray(0, plain.length - plain[plain.length - 1]!);
  const length = unpadded.readUInt32BE(16);
  return { message: unpadded.subarray(20, 20 + length).toString('utf8'), receiveId: unpadded.subarray(20 + length).toString('utf8') };
}

export const refMd5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

// ---- bots ----

/** Answers "答：<text>", so a test can tell the bot's answer from an echo of the request. */
export class PrefixBot implements Bot {
  readonly name = 'prefix';
  async reply(context: Context): Promise<Reply> {
    return textReply(`答：${context.content}`);
  }
}

/** Like PrefixBot, but every answer waits until `release()`. */
export class GatedBot implements Bot {
  readonly name = 'gated';
  readonly asked: string[] = [];
  private open!: () => void;
  private gate = new Promise<void>((resolve) => (this.open = resolve));
  release(): void {
    this.open();
  }
  async reply(context: Context): Promise<Reply> {
    this.asked.push(context.content);
    await this.gate;
    return textReply(`答：${context.content}`);
  }
}

// ---- a started channel on a real core container ----

export const TEST_TOKEN = 'skillTokenForTests123';
export const TEST_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
export const TEST_APPID = 'TestBotAppId001';

/** `stores`: the app's stores (disk, Redis) to test what outlives a restart or spans instances; default memory. */
export async function startChatbot(raw: AppConfig = {}, bot: Bot = new PrefixBot(), stores?: Stores) {
  const app = createTestApp(
    {
      channel_type: 'wechat_chatbot',
      bot_type: bot.name,
      wechat_chatbot_token: TEST_TOKEN,
      wechat_chatbot_aes_key: TEST_AES_KEY,
      wechat_chatbot_appid: TEST_APPID,
      wechat_chatbot_host: '127.0.0.1',
      wechat_chatbot_port: 0,
      ...raw,
    },
    // The real assembly path: the CLI builds the channel from the same integration.
    { integrations: [wechatChatbotIntegration], stores },
  );
  app.useBot(bot);
  const channel = app.channel as WechatChatbotChannel;
  await channel.start(app.pipeline.handle);
  const url = `http://127.0.0.1:${channel.address!.port}`;
  return { app, channel, url, bot, close: () => channel.stop() };
}

// ---- a loopback server speaking openapi/sendmsg ----

export interface ReceivedSendmsg {
  token: string;
  encrypt: string;
  /** Decrypted by WXBizMsgCrypt (our wx-crypto package, itself tested on WeCom's samples). */
  xml: string;
}

/**
 * Speaks POST /openapi/sendmsg/{TOKEN} {"encrypt": …}: a wrong TOKEN or a ciphertext that does
 * not decrypt for this bot answers errcode 1019, as the platform does.
 */
export async function startSendmsgServer(bot: { token: string; aesKey: string; appid: string }, port = 0) {
  const received: ReceivedSendmsg[] = [];
  const waiters: Array<() => void> = [];
  const crypt = new WXBizMsgCrypt(bot.token, bot.aesKey, bot.appid);
  const server: Server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const reply = (json: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      const match = /^\/openapi\/sendmsg\/([^/?]+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return res.writeHead(404).end();
      const token = decodeURIComponent(match[1]!);
      let encrypt = '';
      try {
        encrypt = String((JSON.parse(body) as { encrypt?: unknown }).encrypt ?? '');
      } catch {
        return reply({ errcode: 1008, errmsg: 'appid, openid,msg, 字段不能未空' });
      }
      let xml: string;
      try {
        if (token !== bot.token) throw new Error('token');
        xml = crypt.decrypt(encrypt);
      } catch {
        return reply({ errcode: 1019, errmsg: 'encrypt error' });
      }
      received.push({ token, encrypt, xml });
      waiters.splice(0).forEach((wake) => wake());
      return reply({ errcode: 0, errmsg: 'ok' });
    });
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    async waitFor(count: number, timeoutMs = 5000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} sendmsg calls, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A signed (and, by default, encrypted) skill request body, built with the reference crypto. */
export function skillBody(
  fields: { Query: string; UserId?: string; SkillName?: string; IntentName?: string; Timestamp?: number },
  options: { token?: string; aesKey?: string; encrypt?: boolean; signature?: string } = {},
): string {
  const Timestamp = fields.Timestamp ?? Math.floor(Date.now() / 1000);
  const SkillName = fields.SkillName ?? '问答';
  const IntentName = fields.IntentName ?? '闲聊';
  const Signature = options.signature ?? refMd5((options.token ?? TEST_TOKEN) + Timestamp + SkillName + IntentName + fields.Query);
  const json = JSON.stringify({
    RequestId: `req-${Math.random().toString(36).slice(2)}`,
    SessionId: 'sess-1',
    Query: fields.Query,
    SkillName,
    IntentName,
    Slots: [{ SlotName: 'q', SlotValue: fields.Query, NormalizeValue: fields.Query }],
    Timestamp,
    Signature,
    ThirdApiId: 1,
    ThirdApiName: 'llm',
    UserId: fields.UserId ?? 'user-1',
  });
  return options.encrypt === false ? json : refPlainEncrypt(options.aesKey ?? TEST_AES_KEY, json);
}
