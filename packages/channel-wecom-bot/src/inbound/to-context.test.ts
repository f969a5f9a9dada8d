import { INBOUND_MEDIA, ctxGet } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { parseAibotMessage } from './message.js';
import { stripMention } from './mention.js';
import { toContext } from './to-context.js';

const noMedia = async () => Buffer.alloc(0);
const group = (content: string) =>
  parseAibotMessage({ msgid: 'm1', aibotid: 'aibX', chatid: 'wrCHAT', chattype: 'group', from: { userid: 'zhangsan' }, msgtype: 'text', text: { content } });

describe('AI-bot messages as Contexts', () => {
  it('strips the mention in a group, also with no space after it, and never empties the question', () => {
    expect(toContext(group('@大黄你好'), { botName: '大黄', loadMedia: noMedia })?.content).toBe('你好');
    expect(toContext(group('@大黄 今天几号'), { botName: '大黄', loadMedia: noMedia })?.content).toBe('今天几号');
    expect(toContext(group('请问 @大黄\u2005明天呢'), { botName: '大黄', loadMedia: noMedia })?.content).toBe('请问 明天呢');
    // Without the name, only "@word " with a space is a mention: the question is kept whole.
    expect(toContext(group('@大黄你好'), { botName: '', loadMedia: noMedia })?.content).toBe('@大黄你好');
    expect(stripMention('@RobotA hello robot', '')).toBe('hello robot');
  });

  it('answers a group in the group and a single chat to the member', () => {
    const inGroup = toContext(group('@大黄 hi'), { botName: '大黄', loadMedia: noMedia })!;
    expect(inGroup).toMatchObject({ isGroup: true, isAt: true, receiver: 'wrCHAT', groupId: 'wrCHAT', senderId: 'zhangsan', messageId: 'm1', channel: 'wecom_bot' });
    const single = toContext(parseAibotMessage({ msgid: 'm2', chattype: 'single', from: { userid: 'lisi' }, msgtype: 'text', text: { content: ' hi ' } }), { botName: '', loadMedia: noMedia })!;
    expect(single).toMatchObject({ isGroup: false, receiver: 'lisi', content: 'hi' });
  });

  it("uses WeCom's voice transcript as text, and puts a quoted message before the question", () => {
    const voice = toContext(parseAibotMessage({ msgid: 'v', chattype: 'single', from: { userid: 'u' }, msgtype: 'voice', voice: { content: '明天开会吗' } }), { botName: '', loadMedia: noMedia })!;
    expect(voice).toMatchObject({ type: 'TEXT', content: '明天开会吗' });
    const quoted = toContext(
      parseAibotMessage({ msgid: 'q', chattype: 'single', from: { userid: 'u' }, msgtype: 'text', text: { content: '这是什么意思' }, quote: { msgtype: 'text', text: { content: 'ROI 提升 20%' } } }),
      { botName: '', loadMedia: noMedia },
    )!;
    expect(quoted.content).toBe('「ROI 提升 20%」\n这是什么意思');
  });

  it('keeps the text of a mixed message and offers its image, decrypted on demand', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const context = toContext(
      parseAibotMessage({ msgid: 'x', chattype: 'single', from: { userid: 'u' }, msgtype: 'mixed', mixed: { msg_item: [{ msgtype: 'text', text: { content: '看这张图' } }, { msgtype: 'image', image: { url: 'https://x/img', aeskey: 'k' } }] } }),
      { botName: '', loadMedia: async (url, key) => (seen.push([url, key]), Buffer.from('jpeg')) },
    )!;
    expect(context.content).toBe('看这张图');
    expect((await ctxGet(context, INBOUND_MEDIA)!.load()).toString()).toBe('jpeg');
    expect(seen).toEqual([['https://x/img', 'k']]);
  });

  it('reads events by type, and refuses a body that is not a message', () => {
    const event = toContext(parseAibotMessage({ msgid: 'e', chattype: 'single', from: { userid: 'u' }, msgtype: 'event', event: { eventtype: 'enter_chat' } }), { botName: '', loadMedia: noMedia })!;
    expect(event).toMatchObject({ type: 'EVENT', content: 'enter_chat' });
    expect(() => parseAibotMessage({ msgtype: 'text' })).toThrow(/msgid/);
    expect(toContext(parseAibotMessage({ msgid: 'z', msgtype: 'hologram' }), { botName: '', loadMedia: noMedia })).toBeUndefined();
  });
});
