import { memberMessage, nextMsgId } from '@wecom-bot/channel-wechatcom-app/testing';
import { makeTone } from '@wecom-bot/plugins/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORP_ID, startStack, type Stack } from './stack.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0 e2e picture')]);
type Part = { type: string; text?: string; image_url?: { url: string } };

// What a WeCom admin sees in the first five minutes: opening the app, following it, sending a
// picture, a link, a file, a voice message Format mislabels. One process; one member per case.
describe('wecom-bot start: events and non-text messages through the WeCom app', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ wechatcomapp_passive_reply_ms: 0, subscribe_msg: '欢迎使用！输入{trigger_prefix}#help 查看指令。' });
  });
  afterAll(async () => s?.close());

  const say = async (member: string, text: string) => expect(await s.post(member, 'text', { Content: text })).toEqual({ status: 200, body: '' });
  /** An event as WeCom posts it: no MsgId. */
  const event = (member: string, name: string) => s.client.post(memberMessage(CORP_ID, member, 'event', { Event: name, EventKey: '' }));

  it('answers enter_agent and the other events with nothing at all, and never asks the model about one', async () => {
    const events = ['enter_agent', 'LOCATION', 'click', 'view', 'location_select', 'unsubscribe'];
    for (const [i, name] of events.entries()) expect(await event(`opener${i}`, name)).toEqual({ status: 200, body: '' });
    // Each member's next message is handled after their event: when it is answered, the event was too.
    for (const i of events.keys()) await say(`opener${i}`, `问题${i}`);
    for (const i of events.keys()) expect(await s.receive(`opener${i}`, 1)).toEqual([`echo: 问题${i}`]);
    const asked = s.openai.requestsTo('chat').map((r) => JSON.stringify(r.json.messages));
    expect(asked.filter((m) => events.some((name) => m.includes(name)))).toEqual([]);
    expect(s.bot.stderr()).not.toMatch(/暂不支持/);
  });

  it('answers subscribe with subscribe_msg', async () => {
    await event('newcomer', 'subscribe');
    expect(await s.receive('newcomer', 1)).toEqual(['欢迎使用！输入#help 查看指令。']);
  });

  it('acknowledges a picture, then answers the next question with the picture the channel fetched', async () => {
    const mediaId = s.wecom.addMedia(JPEG, 'image/jpeg', 'photo.jpg');
    expect(await s.post('painter', 'image', { PicUrl: 'https://wework.qpic.cn/e2e', MediaId: mediaId, MsgId: nextMsgId() })).toEqual({ status: 200, body: '' });
    expect((await s.receive('painter', 1))[0]).toMatch(/^收到图片。请在3 分钟内发来/);
    await say('painter', '图里写了什么？');
    expect((await s.receive('painter', 2))[1]).toBe('echo: 图里写了什么？');
    const parts = s.openai.requestsTo('chat').at(-1)!.json.messages.at(-1).content as Part[];
    expect(parts).toEqual([
      { type: 'text', text: '图里写了什么？' },
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${JPEG.toString('base64')}` } },
    ]);
    expect(s.wecom.callsTo('media/get').map((c) => c.query.media_id)).toContain(mediaId);
  });

  it('asks the model about a link in its words, and answers a file with a short text', async () => {
    await s.post('reader', 'link', { Title: '季度报告', Description: '经营数据', Url: 'https://example.com/q3', PicUrl: '' });
    expect(await s.receive('reader', 1)).toEqual(['echo: 我分享了一个链接：\n标题：季度报告\n描述：经营数据\n网址：https://example.com/q3']);
    const chats = s.openai.requestsTo('chat').length;
    await s.post('reader', 'file', { MediaId: 'FILE1', FileName: 'report.pdf' });
    expect((await s.receive('reader', 2))[1]).toBe('这类消息我暂时处理不了，请把想问的内容用文字发给我。');
    expect(s.openai.requestsTo('chat')).toHaveLength(chats);
  });

  it('transcribes voice whose Format says speex but whose bytes are AMR', async () => {
    const mediaId = s.wecom.addMedia(await makeTone(1, 'amr'), 'audio/amr', 'voice.speex');
    s.openai.setResponse('transcriptions', { text: '几点开会？' });
    await s.post('speaker', 'voice', { MediaId: mediaId, Format: 'speex' });
    expect(await s.receive('speaker', 1)).toEqual(['echo: 几点开会？']);
  });
});
