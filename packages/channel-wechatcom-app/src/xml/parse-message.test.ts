import { describe, expect, it } from 'vitest';
import { inboundXml } from '../testing/callback-client.js';
import { XmlInputError } from './errors.js';
import { parseEncryptedEnvelope, parseMessage } from './parse-message.js';
import { renderPassiveReply } from './render-passive-reply.js';

describe('parseMessage', () => {
  it('keeps text and ids exactly as sent: leading zeros, 64-bit MsgId, spaces, markup-like text', () => {
    const msg = parseMessage(
      inboundXml({ ToUserName: 'ww1', FromUserName: 'zhangsan', CreateTime: 1700000000, MsgType: 'text', Content: '  0123 <b>&amp;</b> ', MsgId: '7320098765432101234', AgentID: 1000002 }),
    );
    expect(msg).toMatchObject({ fromUserName: 'zhangsan', toUserName: 'ww1', createTime: 1700000000, msgType: 'text', msgId: '7320098765432101234', agentId: '1000002' });
    expect(msg.fields.Content).toBe('  0123 <b>&amp;</b> ');
  });

  it('decodes the predefined entities of plain (non-CDATA) text and nothing else', () => {
    const msg = parseMessage('<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>a &lt;b&gt; &amp; &#20320; &foo;</Content></xml>');
    expect(msg.fields.Content).toBe('a <b> & 你 &foo;');
  });

  it('reads an event with nested payload and no MsgId', () => {
    const msg = parseMessage(
      '<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000001</CreateTime>' +
        '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[pic_sysphoto]]></Event><EventKey><![CDATA[k]]></EventKey>' +
        '<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum><![CDATA[abc]]></PicMd5Sum></item></PicList></SendPicsInfo></xml>',
    );
    expect(msg.msgId).toBeUndefined();
    expect(msg.event).toBe('pic_sysphoto');
    expect(msg.fields.SendPicsInfo).toEqual({ Count: '1', PicList: { item: { PicMd5Sum: 'abc' } } });
  });

  it('reads repeated children as a list, skips comments, and keeps a child named __proto__ as a field', () => {
    const msg = parseMessage(
      '<xml><!-- from WeCom --><FromUserName>u</FromUserName><MsgType>event</MsgType><PicList><item>a</item><item>b</item><item>c</item></PicList>' +
        '<__proto__><polluted>yes</polluted></__proto__></xml><!-- end -->',
    );
    expect(msg.fields.PicList).toEqual({ item: ['a', 'b', 'c'] });
    expect(Object.getPrototypeOf(msg.fields)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(msg.fields, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads tags with attributes, self-closing tags and spaces before a closing ">", and refuses malformed tags', () => {
    const msg = parseMessage(
      '<xml a="1">\r\n\t<FromUserName\tlang="zh">u</FromUserName ><MsgType>text</MsgType>' +
        '<Empty/><EmptyAttr x="1"/><EmptySpaced /><Open x="/"></Open><Dotted.Name-1:x>v</Dotted.Name-1:x></xml>',
    );
    expect(msg.fields).toEqual({ FromUserName: 'u', MsgType: 'text', Empty: '', EmptyAttr: '', EmptySpaced: '', Open: '', 'Dotted.Name-1:x': 'v' });
    for (const bad of ['<a/ >', '<1a>', '<a x="<">', '<a', '<a x="1"', '< a>', '<a>x</a b>']) {
      expect(() => parseMessage(`<xml><FromUserName>u</FromUserName><MsgType>text</MsgType>${bad}</xml>`), bad).toThrow(XmlInputError);
    }
  });

  it('refuses broken XML and messages without sender or type', () => {
    expect(() => parseMessage('<xml><FromUserName>u</FromUserName><MsgType>text</MsgType></lmx>')).toThrow(/expected <\/xml>/);
    expect(() => parseMessage('<xml><FromUserName>u</FromUserName><MsgType>text</MsgType></xml><extra/>')).toThrow(/content after its root/);
    expect(() => parseMessage('<xml><FromUserName>u</FromUserName><MsgType>text</xml>')).toThrow(XmlInputError);
    expect(() => parseMessage('not xml at all')).toThrow(XmlInputError);
    expect(() => parseMessage('<xml><Content>x</Content></xml>')).toThrow(/FromUserName or MsgType/);
  });

  it('refuses a billion-laughs bomb and an external entity without expanding them', () => {
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE xml [${lol}]><xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>&lol9;</Content></xml>`;
    const started = Date.now();
    expect(() => parseMessage(bomb)).toThrow(/DOCTYPE/);
    expect(Date.now() - started).toBeLessThan(500);
    const xxe = '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>&x;</Content></xml>';
    expect(() => parseMessage(xxe)).toThrow(XmlInputError);
  });
});

describe('parseEncryptedEnvelope', () => {
  it('takes Encrypt, ToUserName and AgentID', () => {
    expect(parseEncryptedEnvelope('<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>')).toEqual({
      encrypt: 'abc+/=',
      toUserName: 'ww1',
      agentId: '1000002',
    });
  });

  it('says when Encrypt is missing', () => {
    expect(() => parseEncryptedEnvelope('<xml><ToUserName>ww1</ToUserName></xml>')).toThrow(/no <Encrypt>/);
  });
});

describe('renderPassiveReply', () => {
  const envelope = { toUser: 'zhangsan', fromUser: 'ww1', createTime: 1700000002 };

  it('renders text that parses back to the same content, even with "]]>" inside', () => {
    const xml = renderPassiveReply({ msgType: 'text', content: 'a ]]> b <c> & 你好' }, envelope);
    const back = parseMessage(xml);
    expect(back).toMatchObject({ fromUserName: 'ww1', toUserName: 'zhangsan', msgType: 'text', createTime: 1700000002 });
    expect(back.fields.Content).toBe('a ]]> b <c> & 你好');
  });

  it('renders image, voice and video by media id, and news with at most 8 articles', () => {
    expect(parseMessage(renderPassiveReply({ msgType: 'image', mediaId: 'M1' }, envelope)).fields.Image).toEqual({ MediaId: 'M1' });
    expect(parseMessage(renderPassiveReply({ msgType: 'voice', mediaId: 'M2' }, envelope)).fields.Voice).toEqual({ MediaId: 'M2' });
    expect(parseMessage(renderPassiveReply({ msgType: 'video', mediaId: 'M3', title: 't' }, envelope)).fields.Video).toEqual({ MediaId: 'M3', Title: 't', Description: '' });
    const articles = Array.from({ length: 10 }, (_, i) => ({ title: `T${i}`, url: `https://e.x/${i}` }));
    const news = parseMessage(renderPassiveReply({ msgType: 'news', articles }, envelope));
    expect(news.fields.ArticleCount).toBe('8');
    expect((news.fields.Articles as { item: unknown[] }).item).toHaveLength(8);
  });
});
