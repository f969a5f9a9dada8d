import { XmlInputError } from './errors.js';
import { decodePredefined } from './parse-xml.js';

/** The outer callback body: `<xml><ToUserName/><Encrypt/><AgentID/></xml>`. */
export interface EncryptedEnvelope {
  encrypt: string;
  toUserName: string;
  agentId: string;
}

/** More children than WeCom ever sends (it sends three): a body with more is not a callback. */
export const ENVELOPE_MAX_CHILDREN = 16;

const WHAT = 'callback body';
const SPACE = /[ \t\r\n]*/y;
const DECLARATION = /<\?xml[ \t\r\n][^<>?]*\?>/y;
// A start tag; attributes (WeCom sends none) are skipped, not read.
const START_TAG = /<([A-Za-z_][\w.:-]*)(?:[ \t\r\n][^<>]*?)?(\/?)>/y;
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/**
 * Reads the outer envelope in one linear pass, without building a tree. It is read before the
 * signature can be checked (the signature covers the Encrypt text), so it is the part an
 * anonymous client controls: the only shape accepted is a root whose children hold text (or
 * CDATA); anything deeper, any markup it does not use and any trailing content is refused.
 */
export function parseEncryptedEnvelope(xml: string): EncryptedEnvelope {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new XmlInputError(`${WHAT}: DOCTYPE and entity declarations are not accepted`);
  const scan = new Scanner(xml);
  scan.skip(/\uFEFF?/y);
  scan.skip(SPACE);
  scan.skip(DECLARATION);
  scan.skip(SPACE);
  const root = scan.startTag('a root element');
  if (root.selfClosing) throw new XmlInputError(`${WHAT} has no <Encrypt> element`);
  const fields = new Map<string, string>();
  for (let children = 0; ; children++) {
    scan.skip(SPACE);
    if (scan.at(`</`)) break;
    if (children === ENVELOPE_MAX_CHILDREN) throw new XmlInputError(`${WHAT} has more than ${ENVELOPE_MAX_CHILDREN} elements`);
    const child = scan.startTag('an element or the end of the root');
    const value = child.selfClosing ? '' : scan.textUntilEnd(child.name);
    if (fields.has(child.name)) throw new XmlInputError(`${WHAT} has <${child.name}> more than once`);
    fields.set(child.name, value);
  }
  scan.endTag(root.name);
  scan.skip(SPACE);
  if (!scan.done) throw new XmlInputError(`${WHAT} has content after its root element`);
  const encrypt = fields.get('Encrypt');
  if (!encrypt) throw new XmlInputError(`${WHAT} has no <Encrypt> element`);
  return { encrypt, toUserName: fields.get('ToUserName') ?? '', agentId: fields.get('AgentID') ?? '' };
}

class Scanner {
  private pos = 0;

  constructor(private readonly xml: string) {}

  get done(): boolean {
    return this.pos >= this.xml.length;
  }

  at(prefix: string): boolean {
    return this.xml.startsWith(prefix, this.pos);
  }

  /** Moves past a match of the sticky `pattern` at the current position, if there is one. */
  skip(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.xml);
    if (match) this.pos = pattern.lastIndex;
    return match;
  }

  startTag(expected: string): { name: string; selfClosing: boolean } {
    const match = this.skip(START_TAG);
    if (!match) throw this.unexpected(expected);
    return { name: match[1]!, selfClosing: match[2] === '/' };
  }

  endTag(name: string): void {
    if (!this.skip(new RegExp(`</${name.replace(/[.]/g, '\\.')}[ \\t\\r\\n]*>`, 'y'))) throw this.unexpected(`</${name}>`);
  }

  /** The text of an element up to its end tag: character data (trimmed, predefined entities decoded) and CDATA. */
  textUntilEnd(name: string): string {
    let text = '';
    for (;;) {
      const lt = this.xml.indexOf('<', this.pos);
      if (lt < 0) throw new XmlInputError(`${WHAT} is not well-formed XML: <${name}> is not closed`);
      text += decodePredefined(this.xml.slice(this.pos, lt).trim());
      this.pos = lt;
      if (this.at(CDATA_OPEN)) {
        const end = this.xml.indexOf(CDATA_CLOSE, lt + CDATA_OPEN.length);
        if (end < 0) throw new XmlInputError(`${WHAT} is not well-formed XML: a CDATA section is not closed`);
        text += this.xml.slice(lt + CDATA_OPEN.length, end);
        this.pos = end + CDATA_CLOSE.length;
      } else if (this.at('</')) {
        this.endTag(name);
        return text;
      } else {
        throw new XmlInputError(`${WHAT}: <${name}> must hold text only, not markup`);
      }
    }
  }

  private unexpected(expected: string): XmlInputError {
    const found = this.done ? 'the end of the body' : JSON.stringify(this.xml.slice(this.pos, this.pos + 12));
    return new XmlInputError(`${WHAT} is not well-formed XML: expected ${expected} at offset ${this.pos}, found ${found}`);
  }
}
