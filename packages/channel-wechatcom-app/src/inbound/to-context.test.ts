import { describe, expect, it } from 'vitest';
import { memberMessage } from '../testing/callback-client.js';
import { parseMessage } from '../xml/parse-message.js';
import { toContext } from './to-context.js';

const noMedia = async () => Buffer.alloc(0);
const contextOf = (msgType: string, fields: Record<string, string>) => toContext(parseMessage(memberMessage('wwCorp', 'u1', msgType, { MsgId: '1', ...fields })), noMedia)!;

// A link or a location is something to talk about: its text is what the bot reads.
describe('toContext: links and locations carry their text', () => {
  it('gives a link its title, description and URL, one per line', () => {
    const link = contextOf('link', { Title: '季度报告', Description: '第三季度经营数据', Url: 'https://example.com/q3', PicUrl: 'https://example.com/q3.png' });
    expect(link).toMatchObject({ type: 'LINK', content: '标题：季度报告\n描述：第三季度经营数据\n网址：https://example.com/q3' });
    // A field WeCom left empty is left out.
    expect(contextOf('link', { Title: '', Description: '', Url: 'https://example.com/a' }).content).toBe('网址：https://example.com/a');
  });

  it('gives a location its label and coordinates (Location_X is the latitude)', () => {
    const place = contextOf('location', { Location_X: '23.134521', Location_Y: '113.358803', Scale: '15', Label: '广州市海珠区' });
    expect(place).toMatchObject({ type: 'LOCATION', content: '广州市海珠区（纬度 23.134521，经度 113.358803）' });
    expect(contextOf('location', { Location_X: '39.9', Location_Y: '116.4', Label: '' }).content).toBe('纬度 39.9，经度 116.4');
  });
});
