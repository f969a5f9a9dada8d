import { describe, expect, it } from 'vitest';
import { XmlInputError } from './errors.js';
import { ENVELOPE_MAX_CHILDREN, parseEncryptedEnvelope } from './parse-envelope.js';
import { parseMessage } from './parse-message.js';

const envelope = '<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>';
const deep = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth);

/** What parsing `xml` did: the envelope, or the class of the error thrown. */
function outcome(parse: (xml: string) => unknown, xml: string): unknown {
  try {
    return parse(xml);
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

describe('parseEncryptedEnvelope (bounded reader)', () => {
  it('reads the three fields, with text or CDATA, entities decoded, whitespace and a declaration around', () => {
    expect(parseEncryptedEnvelope(envelope)).toEqual({ encrypt: 'abc+/=', toUserName: 'ww1', agentId: '1000002' });
    const spaced = '\uFEFF<?xml version="1.0"?>\r\n<xml>\n <Encrypt>\n  ab&amp;c\n </Encrypt>\n <AgentID/>\n <ToUserName>a<![CDATA[<b>]]></ToUserName>\n</xml>\n';
    expect(parseEncryptedEnvelope(spaced)).toEqual({ encrypt: 'ab&c', toUserName: 'a<b>', agentId: '' });
  });

  it('throws only XmlInputError for every truncation of a valid envelope', () => {
    for (let end = 0; end < envelope.length - 1; end++) {
      expect([end, outcome(parseEncryptedEnvelope, envelope.slice(0, end))]).toEqual([end, 'XmlInputError']);
    }
  });

  it('refuses nesting, repeated fields, too many elements and trailing content without reading further', () => {
    const refused = [
      `<xml>${deep(101)}<Encrypt>x</Encrypt></xml>`,
      `<xml><Encrypt>${deep(2)}</Encrypt></xml>`,
      '<xml><Encrypt>x</Encrypt><Encrypt>y</Encrypt></xml>',
      `<xml>${'<A>1</A>'.repeat(ENVELOPE_MAX_CHILDREN)}<Encrypt>x</Encrypt></xml>`,
      '<xml><Encrypt>x</Encrypt></xml>junk',
      '<xml><Encrypt>x</Encrypt></lmx>',
      '<xml><Encrypt><![CDATA[x</Encrypt></xml>',
      '<xml><!--c--><Encrypt>x</Encrypt></xml>',
      '<!DOCTYPE xml><xml><Encrypt>x</Encrypt></xml>',
      '<xml/>',
      '',
    ];
    for (const xml of refused) expect([xml.slice(0, 60), outcome(parseEncryptedEnvelope, xml)]).toEqual([xml.slice(0, 60), 'XmlInputError']);
  });

  it('stays linear on a body built to be slow', () => {
    const started = Date.now();
    for (const xml of [deep(20_000), `<xml><Encrypt>${'&amp;'.repeat(20_000)}`, `<xml ${' a="1"'.repeat(10_000)}`, '<xml>' + '<A>'.repeat(20_000)]) {
      expect(() => parseEncryptedEnvelope(xml)).toThrow(XmlInputError);
    }
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('parseMessage (after the signature)', () => {
  it('refuses a payload nested deeper than any WeCom message with XmlInputError, not a parser crash', () => {
    const xml = `<xml><FromUserName>u</FromUserName><MsgType>text</MsgType>${deep(101)}</xml>`;
    expect(() => parseMessage(xml)).toThrow(XmlInputError);
    expect(() => parseMessage(xml)).toThrow(/refused by the XML parser/);
  });
});
