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
  const fields = new Map<string, string>();
  for (let children = 0; ; children++) {
    scan.skipSpace();
    if (scan.at('</')) break;
    if (children === ENVELOPE_MAX_CHILDREN) throw scan.fail(`has more than ${ENVELOPE_MAX_CHILDREN} elements`);
    const child = scan.startTag('an element or the end of the root');
    const value = child.selfClosing ? '' : textOnly(scan, child.name);
    if (fields.has(child.name)) throw scan.fail(`has <${child.name}> more than once`);
    fields.set(child.name, value);
  }
  scan.endTag(root.name);
  scan.epilog(false);
  const encrypt = fields.get('Encrypt');
  if (!encrypt) throw scan.fail('has no <Encrypt> element');
  return { encrypt, toUserName: fields.get('ToUserName') ?? '', agentId: fields.get('AgentID') ?? '' };
}

function textOnly(scan: XmlScanner, name: string): string {
  const { text, next } = scan.content(name, false);
  if (next !== 'end') throw scan.fail(`: <${name}> must hold text only, not markup`);
  scan.endTag(name);
  return text;
}
