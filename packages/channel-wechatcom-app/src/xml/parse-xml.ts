import { XmlScanner } from './scanner.js';

export { decodePredefined } from './scanner.js';

/** Deeper than any WeCom message (event payloads nest four levels): deeper input is refused, not parsed. */
export const XML_MAX_DEPTH = 16;

/** A parsed element: text, or child elements (repeated ones as arrays). */
export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

/**
 * Parses a WeCom XML document in one linear pass and returns the children of its root
 * element. A DOCTYPE (and so any entity definition: billion laughs, external entities) is
 * refused, as is anything not well-formed; only the five predefined entities are decoded.
 */
export function parseXmlRoot(xml: string, what: string): XmlNode {
  const scan = new XmlScanner(xml, what);
  scan.prolog();
  if (scan.done || !scan.at('<')) throw scan.fail('has no root element');
  const [, root] = element(scan, 1);
  scan.epilog(true);
  return typeof root === 'string' ? {} : root;
}

/** An element at `depth`: its name, and its text when it has no child elements, else its children by name. */
function element(scan: XmlScanner, depth: number): [string, string | XmlNode] {
  if (depth > XML_MAX_DEPTH) throw scan.fail(`was refused by the XML parser: nested deeper than ${XML_MAX_DEPTH} elements`);
  const { name, selfClosing } = scan.startTag('an element');
  if (selfClosing) return [name, ''];
  let node: XmlNode | undefined;
  let text = '';
  for (;;) {
    const part = scan.content(name, true);
    // Text beside child elements (mixed content) is not something WeCom sends; it is dropped.
    text += part.text;
    if (part.next === 'end') break;
    node ??= {};
    add(node, ...element(scan, depth + 1));
  }
  scan.endTag(name);
  return [name, node ?? text];
}

/** A repeated child becomes an array of its values, in document order. */
function add(node: XmlNode, name: string, value: string | XmlNode): void {
  const existing = Object.hasOwn(node, name) ? node[name] : undefined;
  if (Array.isArray(existing)) {
    existing.push(value);
    return;
  }
  const next = existing === undefined ? value : [existing, value];
  // A child named "__proto__" is a field like any other, not the prototype.
  if (name === '__proto__') Object.defineProperty(node, name, { value: next, enumerable: true, writable: true, configurable: true });
  else node[name] = next;
}
