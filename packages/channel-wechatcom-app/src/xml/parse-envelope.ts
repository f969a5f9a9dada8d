import { XmlScanner } from './scanner.js';

/** The outer callback body: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export interface EncryptedEnvelope {
  encrypt: string;
  toUserName: string;
  agentId: string;
}

/** More children than WeCom ever sends (it sends three): a body with more is not a callback. */
export const ENVELOPE_MAX_CHILDREN = 16;

/**
 * Reads the outer envelope in one linear pass, without building a tree. It is read before the
 * signature can be checked (the signature covers the Encrypt text), so it is the part an
 * anonymous client controls: the only shape accepted is a root whose children hold text (or
 * CDATA); anything deeper, any markup it does not use and any trailing content is refused.
 */
export function parseEncryptedEnvelope(xml: string): EncryptedEnvelope {
  const scan = new XmlScanner(xml, 'callback body');
  scan.prolog();
  const root = scan.startTag('a root element');
  if (root.selfClosing) throw scan.fail('has no <Encrypt> element');
  const envelope: EncryptedEnvelope = { encrypt: '', toUserName: '', agentId: '' };
  // A few names, compared in a list: cheaper than a Map per callback.
  const seen: string[] = [];
  for (let children = 0; ; children++) {
    scan.skipSpace();
    if (scan.at('</')) break;
    if (children === ENVELOPE_MAX_CHILDREN) throw scan.fail(`has more than ${ENVELOPE_MAX_CHILDREN} elements`);
    const child = scan.startTag('an element or the end of the root');
    const value = child.selfClosing ? '' : textOnly(scan, child.name);
    if (seen.includes(child.name)) throw scan.fail(`has <${child.name}> more than once`);
    seen.push(child.name);
    if (child.name === 'Encrypt') envelope.encrypt = value;
    else if (child.name === 'ToUserName') envelope.toUserName = value;
    else if (child.name === 'AgentID') envelope.agentId = value;
  }
  scan.endTag(root.name);
  scan.epilog(false);
  if (!envelope.encrypt) throw scan.fail('has no <Encrypt> element');
  return envelope;
}

function textOnly(scan: XmlScanner, name: string): string {
  const { text, next } = scan.content(name, false);
  if (next !== 'end') throw scan.fail(`: <${name}> must hold text only, not markup`);
  scan.endTag(name);
  return text;
}
