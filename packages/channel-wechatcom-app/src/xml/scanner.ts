import { XmlInputError } from './errors.js';

const DECLARATION = /<\?xml[ \t\r\n][^<>?]*\?>/y;
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';
const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';

/**
 * One linear, forward-only pass over a WeCom XML document: the two readers (the envelope,
 * read before the signature is checked, and the decrypted message) are built on it. Every
 * mistake is an XmlInputError naming `what` and the offset; nothing is ever re-scanned, so
 * the cost is linear in the input whatever it holds.
 */
export class XmlScanner {
  private pos = 0;

  constructor(
    private readonly xml: string,
    private readonly what: string,
  ) {
    if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new XmlInputError(`${what}: DOCTYPE and entity declarations are not accepted`);
  }

  get done(): boolean {
    return this.pos >= this.xml.length;
  }

  at(prefix: string): boolean {
    return this.xml.startsWith(prefix, this.pos);
  }

  /** A byte-order mark, whitespace and an XML declaration: what may come before the root. */
  prolog(): void {
    if (this.xml.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.skipSpace();
    this.skip(DECLARATION);
    this.skipSpace();
  }

  /** After the root: only whitespace (and comments when `comments`). */
  epilog(comments: boolean): void {
    for (;;) {
      this.skipSpace();
      if (!(comments && this.at(COMMENT_OPEN))) break;
      this.comment();
    }
    if (!this.done) throw this.fail(`has content after its root element`);
  }

  // Whitespace and start tags are read by hand, not by a sticky RegExp: they come several
  // times per element, and each RegExp match allocated an array on every callback.
  skipSpace(): void {
    const xml = this.xml;
    while (this.pos < xml.length && isSpace(xml.charCodeAt(this.pos))) this.pos++;
  }

  /** `<name>` or `<name/>`, attributes allowed. */
  startTag(expected: string): { name: string; selfClosing: boolean } {
    const xml = this.xml;
    const start = this.pos + 1;
    if (xml.charCodeAt(this.pos) !== LT || !isNameStart(xml.charCodeAt(start))) throw this.unexpected(expected);
    let end = start + 1;
    while (isNameChar(xml.charCodeAt(end))) end++;
    // Attributes (WeCom sends none) are skipped, not read: whatever is not markup, up to the '>'.
    let gt = end;
    if (isSpace(xml.charCodeAt(end))) {
      while (gt < xml.length && xml.charCodeAt(gt) !== GT && xml.charCodeAt(gt) !== LT) gt++;
    } else if (xml.charCodeAt(end) === SLASH) {
      gt++;
    }
    if (xml.charCodeAt(gt) !== GT) throw this.unexpected(expected);
    this.pos = gt + 1;
    return { name: xml.slice(start, end), selfClosing: xml.charCodeAt(gt - 1) === SLASH };
  }

  endTag(name: string): void {
    const after = this.pos + 2 + name.length;
    if (this.at('</') && this.xml.startsWith(name, this.pos + 2)) {
      this.pos = after;
      this.skipSpace();
      if (this.at('>')) {
        this.pos += 1;
        return;
      }
    }
    throw this.unexpected(`</${name}>`);
  }

  /**
   * The next part of element `name`'s content: its text up to the next markup (character data
   * trimmed and its predefined entities decoded, CDATA as is, comments skipped when
   * `comments`), then whether a child element starts there or the element ends.
   */
  content(name: string, comments: boolean): { text: string; next: 'child' | 'end' } {
    let text = '';
    for (;;) {
      const lt = this.xml.indexOf('<', this.pos);
      if (lt < 0) throw this.fail(`is not well-formed XML: <${name}> is not closed`);
      if (lt > this.pos) text += decodePredefined(this.xml.slice(this.pos, lt).trim());
      this.pos = lt;
      if (this.at(CDATA_OPEN)) {
        const end = this.xml.indexOf(CDATA_CLOSE, lt + CDATA_OPEN.length);
        if (end < 0) throw this.fail('is not well-formed XML: a CDATA section is not closed');
        text += this.xml.slice(lt + CDATA_OPEN.length, end);
        this.pos = end + CDATA_CLOSE.length;
      } else if (comments && this.at(COMMENT_OPEN)) {
        this.comment();
      } else {
        return { text, next: this.at('</') ? 'end' : 'child' };
      }
    }
  }

  /** An XmlInputError saying `what` "has no root element", or `what` ": …" (a problem starting with a colon). */
  fail(problem: string): XmlInputError {
    return new XmlInputError(`${this.what}${problem.startsWith(':') ? '' : ' '}${problem}`);
  }

  private comment(): void {
    const end = this.xml.indexOf(COMMENT_CLOSE, this.pos + COMMENT_OPEN.length);
    if (end < 0) throw this.fail('is not well-formed XML: a comment is not closed');
    this.pos = end + COMMENT_CLOSE.length;
  }

  /** Moves past a match of the sticky `pattern` at the current position, if there is one. */
  private skip(pattern: RegExp): void {
    pattern.lastIndex = this.pos;
    if (pattern.test(this.xml)) this.pos = pattern.lastIndex;
  }

  private unexpected(expected: string): XmlInputError {
    const found = this.done ? 'the end of the body' : JSON.stringify(this.xml.slice(this.pos, this.pos + 12));
    return this.fail(`is not well-formed XML: expected ${expected} at offset ${this.pos}, found ${found}`);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** [A-Za-z_] */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

/** [A-Za-z0-9_.:-] (0x30–0x3a: the digits and ':') */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x3a) || c === 0x2e || c === 0x2d;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** XML's five predefined entities and numeric references; nothing else (nothing user-defined). */
export function decodePredefined(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name.startsWith('#x')) return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10), whole);
    return PREDEFINED[name] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}
