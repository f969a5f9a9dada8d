import { createRequire } from 'node:module';
import { createContext, type Context } from '@wecom-bot/core';
import type { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import type { XMLParser } from 'fast-xml-parser';
import { RequestError } from '../http-answer.js';

/**
 * Mode 3, third-party customer service (doc aispeech/confapi/thirdkefu/recivemsg): the
 * platform POSTs {"encrypted": "…"}, WXBizMsgCrypt ciphertext without a signature, whose
 * plaintext is an XML message; replies go out later through openapi/sendmsg.
 */
export interface KefuMessage {
  userid: string;
  /** Echoed back in sendmsg's `appid` (for the H5 channel the platform puts its TOKEN here). */
  appid: string;
  text: string;
  msgtype: string;
  /** 0 = the user; other values are the bot's or a human agent's own messages. */
  from: string;
  channel: string;
  kfstate: string;
  event: string;
  /** Seconds (the platform sends milliseconds). */
  createdAt: number;
}

/** The platform's error shape (as in its sendmsg answers). */
const kefuError = (status: number, message: string, errmsg: string) => new RequestError(status, message, { errcode: status, errmsg });

let parser: XMLParser | undefined;

/** Made on the first customer-service message: a bot in another mode never loads fast-xml-parser. */
function kefuParser(): XMLParser {
  if (parser) return parser;
  const { XMLParser } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
  // Keep "0123" a string; numbers are converted on purpose below.
  return (parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, trimValues: true, htmlEntities: false }));
}

export function parseKefuRequest(rawBody: string, crypt: WXBizMsgCrypt): KefuMessage {
  let encrypted: unknown;
  try {
    encrypted = (JSON.parse(rawBody) as { encrypted?: unknown }).encrypted;
  } catch {
    throw kefuError(400, 'customer-service callback body is not valid JSON', 'bad json');
  }
  if (typeof encrypted !== 'string' || encrypted === '') throw kefuError(400, 'customer-service callback has no "encrypted" field', 'missing encrypted');
  // Every failure from here on answers alike (only the log differs): a different answer for a
  // ciphertext whose padding was valid would be a CBC padding oracle.
  try {
    return parseKefuXml(crypt.decrypt(encrypted.replace(/\s+/g, '')));
  } catch (error) {
    throw kefuError(400, `customer-service message refused (${(error as Error).message}): check wechat_chatbot_aes_key and wechat_chatbot_appid`, 'undecryptable');
  }
}

export function parseKefuXml(xml: string): KefuMessage {
  // No DTDs: entity definitions are the classic XML bomb.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw kefuError(400, 'customer-service message carries a DTD; refused', 'bad xml');
  let parsed: unknown;
  try {
    parsed = (kefuParser().parse(xml) as { xml?: unknown }).xml;
  } catch {
    throw kefuError(400, 'customer-service message is not valid XML', 'bad xml');
  }
  if (typeof parsed !== 'object' || parsed === null) throw kefuError(400, 'customer-service message has no <xml> element', 'bad xml');
  const root = parsed as Record<string, unknown>;
  const content = root.content;
  const text = typeof content === 'object' && content !== null ? str((content as Record<string, unknown>).msg) : str(content);
  const contentType = typeof content === 'object' && content !== null ? str((content as Record<string, unknown>).msgtype) : '';
  const created = Number(str(root.createtime));
  return {
    userid: str(root.userid),
    appid: str(root.appid),
    text,
    msgtype: str(root.msgtype) || contentType || 'text',
    from: str(root.from) || '0',
    channel: str(root.channel),
    kfstate: str(root.kfstate),
    event: str(root.event),
    createdAt: Number.isFinite(created) && created > 0 ? Math.floor(created > 1e12 ? created / 1000 : created) : Math.floor(Date.now() / 1000),
  };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** Only what a user typed goes to the bot; the platform also reports the bot's and agents' messages and events. */
export function isUserText(message: KefuMessage): boolean {
  return message.from === '0' && message.event === '' && message.text !== '' && message.userid !== '';
}

export function kefuContext(message: KefuMessage, channel: string): Context {
  return createContext({
    type: 'TEXT',
    content: message.text,
    channel,
    senderId: message.userid,
    receiver: message.userid,
    createdAt: message.createdAt,
    raw: message,
  });
}

/** What sendmsg needs to answer this user. */
export interface SendmsgTarget {
  appid: string;
  openid: string;
  channel: string;
}

export function kefuTarget(message: KefuMessage): SendmsgTarget {
  return { appid: message.appid, openid: message.userid, channel: message.channel || '0' };
}

export interface SendmsgXml extends SendmsgTarget {
  msg: string;
  kefuname?: string;
  kefuavatar?: string;
}

/** The sendmsg plaintext (doc aispeech/confapi/thirdkefu/sendmsg): appid, openid, msg, channel, optional agent name and avatar. */
export function renderSendmsgXml(message: SendmsgXml): string {
  const fields: Array<[string, string | undefined]> = [
    ['appid', message.appid],
    ['openid', message.openid],
    ['msg', message.msg],
  ];
  const optional: Array<[string, string | undefined]> = [
    ['kefuname', message.kefuname],
    ['kefuavatar', message.kefuavatar],
  ];
  const channel = /^\d+$/.test(message.channel) ? message.channel : '0';
  return [
    '<xml>',
    ...fields.map(([k, v]) => `<${k}>${cdata(v ?? '')}</${k}>`),
    `<channel>${channel}</channel>`,
    ...optional.filter(([, v]) => v).map(([k, v]) => `<${k}>${cdata(v ?? '')}</${k}>`),
    '</xml>',
  ].join('');
}

/** CDATA that survives a "]]>" inside the text (split across two sections). */
function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
