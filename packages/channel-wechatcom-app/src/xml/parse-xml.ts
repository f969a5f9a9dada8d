import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlInputError } from './errors.js';

const CDATA = '#cdata';
const TEXT = '#text';

/** Deeper than any WeCom message (event payloads nest four levels): deeper input is refused, not parsed. */
export const XML_MAX_DEPTH = 16;

// parseTagValue off: "<Content>0123</Content>" stays "0123" and a 64-bit MsgId stays exact.
// processEntities off: nothing is expanded; the five predefined entities are decoded below by hand.
const parser = new XMLParser({
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
  cdataPropName: CDATA,
  maxNestedTags: XML_MAX_DEPTH,
});

/** A parsed element: text, or child elements (repeated ones as arrays). */
export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

/**
 * Parses a WeCom XML document and returns the children of its root element. A DOCTYPE (and
 * so any entity definition: billion laughs, external entities) is refused before parsing,
 * as is anything not well-formed.
 */
export function parseXmlRoot(xml: string, what: string): XmlNode {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new XmlInputError(`${what}: DOCTYPE and entity declarations are not accepted`);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlInputError(`${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = normalize(parseBounded(xml, what));
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new XmlInputError(`${what} has no root element`);
  const roots = Object.values(doc);
  const root = roots[0];
  if (roots.length !== 1 || root === undefined) throw new XmlInputError(`${what} must have exactly one root element`);
  if (typeof root === 'string') return {};
  if (Array.isArray(root)) throw new XmlInputError(`${what} must have exactly one root element`);
  return root;
}

function parseBounded(xml: string, what: string): unknown {
  try {
    return parser.parse(xml) as unknown;
  } catch (error) {
    // The parser's own limits (nesting depth) throw plain Errors: still the sender's fault, a 400.
    throw new XmlInputError(`${what} was refused by the XML parser: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Folds fast-xml-parser's CDATA/text parts into plain strings. */
function normalize(value: unknown): XmlValue {
  if (typeof value === 'string') return decodePredefined(value);
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value !== 'object' || value === null) return '';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.every(([k]) => k === CDATA || k === TEXT)) {
    const rec = value as Record<string, unknown>;
    return textOf(rec[TEXT], decodePredefined) + textOf(rec[CDATA], (s) => s);
  }
  const node: XmlNode = {};
  for (const [key, child] of entries) node[key] = normalize(child);
  return node;
}

function textOf(part: unknown, decode: (s: string) => string): string {
  if (part === undefined) return '';
  return (Array.isArray(part) ? part : [part]).map((p) => decode(String(p))).join('');
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
