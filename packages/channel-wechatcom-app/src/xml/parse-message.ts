import { XmlInputError } from './errors.js';
import { parseXmlRoot, type XmlNode, type XmlValue } from './parse-xml.js';

// The envelope has its own bounded reader; it stays importable from here.
export { parseEncryptedEnvelope, type EncryptedEnvelope } from './parse-envelope.js';

/** A decrypted WeCom message: the common fields typed, every field kept in `fields`. */
export interface WecomInboundMessage {
  toUserName: string;
  fromUserName: string;
  /** Seconds since epoch. */
  createTime: number;
  msgType: string;
  /** 64-bit integer: kept as a string. Absent on events. */
  msgId?: string;
  agentId?: string;
  /** For MsgType "event": the event name (subscribe, enter_agent, click, LOCATION …). */
  event?: string;
  /** All children of <xml>, text as strings, nested elements (event payloads) as objects. */
  fields: Readonly<XmlNode>;
}

export function parseMessage(xml: string): WecomInboundMessage {
  return messageOf(parseXmlRoot(xml, 'decrypted message'));
}

/** The message whose <xml> children are `fields` (the outbox keeps only these: the rest is read from them). */
export function messageOf(fields: Readonly<XmlNode>): WecomInboundMessage {
  const fromUserName = str(fields, 'FromUserName');
  const msgType = str(fields, 'MsgType');
  if (!fromUserName || !msgType) throw new XmlInputError('decrypted message lacks FromUserName or MsgType');
  const createTime = Number(str(fields, 'CreateTime') ?? NaN);
  return {
    toUserName: str(fields, 'ToUserName') ?? '',
    fromUserName,
    createTime: Number.isFinite(createTime) ? createTime : Math.floor(Date.now() / 1000),
    msgType: msgType.toLowerCase(),
    msgId: str(fields, 'MsgId') || undefined,
    agentId: str(fields, 'AgentID') || undefined,
    event: str(fields, 'Event') || undefined,
    fields,
  };
}

/** A text child, or undefined when absent or not text. */
export function str(node: XmlNode, name: string): string | undefined {
  const value: XmlValue | undefined = node[name];
  return typeof value === 'string' ? value : undefined;
}
