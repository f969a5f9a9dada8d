import { XmlInputError } from './errors.js';

const SPACE = /[ \t\r\n]*/y;
const DECLARATION = /<\?xml[ \t\r\n][^<>?]*\?>/y;
// A start tag; attributes (WeCom sends none) are skipped, not read.
const START_TAG = /<([A-Za-z_][\w.:-]*)(?:[ \t\r\n][^<>]*?)?(\/?)>/y;
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
    this.skip(SPACE);
    this.skip(DECLARATION);
    this.skip(SPACE);
  }

  /** After the root: only whitespace (and comments when `comments`). */
  epilog(comments: boolean): void {
    for (;;) {
      this.skip(SPACE);
      if (!(comments && this.at(COMMENT_OPEN))) break;
      this.comment();
    }
    if (!this.done) throw this.fail(`has content after its root element`);
  }

  skipSpace(): void {
    this.skip(SPACE);
  }

  startTag(expected: string): { name: string; selfClosing: boolean } {
    const match = this.skip(START_TAG);
    if (!match) throw this.unexpected(expected);
    return { name: match[1]!, selfClosing: match[2] === '/' };
  }

  endTag(name: string): void {
    const close = `</${name}`;
    if (this.at(close)) {
      this.pos += close.length;
      this.skip(SPACE);
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
  private skip(pattern: RegExp): RegExpExecArray | null {
    pattern.lastIndex = this.pos;
    const match = pattern.exec(this.xml);
    if (match) this.pos = pattern.lastIndex;
    return match;
  }

  private unexpected(expected: string): XmlInputError {
    const found = this.done ? 'the end of the body' : JSON.stringify(this.xml.slice(this.pos, this.pos + 12));
    return this.fail(`is not well-formed XML: expected ${expected} at offset ${this.pos}, found ${found}`);
  }
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
