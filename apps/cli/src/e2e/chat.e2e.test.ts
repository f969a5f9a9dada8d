import { openAIError } from '@wecom-bot/bot-openai/testing';
import { nextMsgId } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToPcm, makeTone, rms } from '@wecom-bot/plugins/testing';
import { ADMIN_PASSWORD, AGENT_ID, API_KEY, expectCleanStopWithoutSecrets, PERSONA, startStack, type Stack } from './stack.js';

// One process for the block; the tests run in order against it, each member in their own session.
describe('wecom-bot start: members chat with the OpenAI bot through the WeCom app', () => {
  let s: Stack;
  beforeAll(async () => {
    // passive_reply_ms 0: every answer goes through message/send, where the test sees it.
    s = await startStack({ wechatcomapp_passive_reply_ms: 0 });
  });
  afterAll(async () => s?.close());

  /** A member's text message, acknowledged at once with an empty 200. */
  const say = async (member: string, text: string, msgId = nextMsgId()) => {
    expect(await s.post(member, 'text', { Content: text, MsgId: msgId })).toEqual({ status: 200, body: '' });
  };

  it('answers a member through message/send with the persona and the question, then remembers the conversation', async () => {
    s.openai.setResponse('chat', { content: '今天是星期三。' }, { content: '明天是星期四。' });
    await say('zhangsan', '今天星期几？');
    await s.receive('zhangsan', 1);

    const [first] = s.chatsAbout('今天星期几？');
    expect(first?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first?.json.model).toBe('gpt-4o-mini');
    expect(first?.json.messages).toEqual([
      { role: 'system', content: PERSONA },
      { role: 'user', content: '今天星期几？' },
    ]);
    expect(s.sentTo('zhangsan')[0]).toMatchObject({ touser: 'zhangsan', agentid: AGENT_ID, msgtype: 'text', text: { content: '今天是星期三。' } });

    await say('zhangsan', '那明天呢？');
    expect(await s.receive('zhangsan', 2)).toEqual(['今天是星期三。', '明天是星期四。']);
    expect(s.chatsAbout('那明天呢？')[0]?.json.messages).toEqual([
      { role: 'system', content: PERSONA },
      { role: 'user', content: '今天星期几？' },
      { role: 'assistant', content: '今天是星期三。' },
      { role: 'user', content: '那明天呢？' },
    ]);
  });

  it("answers WeCom's three deliveries of one message once", async () => {
    const msgId = nextMsgId();
    for (let attempt = 0; attempt < 3; attempt++) await say('lisi', '重复投递的问题', msgId);
    // The same member's next message is handled after anything the retries could have started.
    await say('lisi', '之后的问题');
    expect(await s.receive('lisi', 2)).toEqual(['echo: 重复投递的问题', 'echo: 之后的问题']);
    expect(s.chatsAbout('重复投递的问题')).toHaveLength(1);
    expect(s.sentTo('lisi')).toHaveLength(2);
    expect(s.bot.stderr().match(/repeated delivery of a message already received/g)).toHaveLength(2);
  });

  it('transcribes a voice message (AMR fetched with media/get) and answers the words in text', async () => {
    const mediaId = s.wecom.addMedia(await makeTone(2, 'amr'), 'audio/amr', 'voice.amr');
    s.openai.setResponse('transcriptions', { text: '下午三点开会吗？' });
    s.openai.setResponse('chat', { content: '是的，三点在会议室。' });
    expect(await s.post('wangwu', 'voice', { MediaId: mediaId, Format: 'amr' })).toEqual({ status: 200, body: '' });
    expect(await s.receive('wangwu', 1)).toEqual(['是的，三点在会议室。']);

    expect(s.wecom.callsTo('media/get').map((c) => c.query.media_id)).toContain(mediaId);
    // The voice plugin converts to the engine's first format: mp3 for OpenAI.
    const heard = await decodeToPcm(s.openai.requestsTo('transcriptions').at(-1)!.multipart!.files.file!.data, 'mp3');
    expect(heard.seconds).toBeGreaterThan(1.8);
    expect(heard.seconds).toBeLessThan(2.3);
    expect(rms(heard.pcm)).toBeGreaterThan(300); // the tone, not silence
    expect(s.chatsAbout('下午三点开会吗？')).toHaveLength(1);
  });

  it('tells the member politely when OpenAI keeps failing, and answers normally once it recovers', async () => {
    const chatsBefore = s.openai.requestsTo('chat').length;
    s.openai.setResponse('chat', openAIError(500, 'The server had an error'), openAIError(500, 'The server had an error'));
    await say('zhaoliu', '服务挂了吗？');
    expect(await s.receive('zhaoliu', 1)).toEqual(['模型服务暂时不可用，请稍后再试。']);
    expect(s.openai.requestsTo('chat').length - chatsBefore).toBe(2); // the first try and max_retries: 1

    await say('zhaoliu', '现在好了吗？');
    expect(await s.receive('zhaoliu', 2)).toEqual(['模型服务暂时不可用，请稍后再试。', 'echo: 现在好了吗？']);
    // The failed turn left no trace in the conversation.
    expect(s.chatsAbout('现在好了吗？')[0]?.json.messages).toEqual([
      { role: 'system', content: PERSONA },
      { role: 'user', content: '现在好了吗？' },
    ]);
  });

  it('answers #help, and lets only an authenticated admin change the model of the next chat', async () => {
    await say('admin1', '#help');
    const [help] = await s.receive('admin1', 1);
    expect(help).toMatch(/#reset/);
    expect(help).toMatch(/#auth/);
    expect(help).not.toMatch(/#model/);

    await say('admin1', '#model gpt-4.1');
    expect((await s.receive('admin1', 2))[1]).toMatch(/需要管理员权限/);
    await say('admin1', `#auth ${ADMIN_PASSWORD}`);
    expect((await s.receive('admin1', 3))[2]).toMatch(/认证成功/);
    await say('admin1', '#model gpt-4.1');
    expect((await s.receive('admin1', 4))[3]).toBe('模型已设置为：gpt-4.1');
    await say('admin1', '换了模型吗？');
    expect((await s.receive('admin1', 5))[4]).toBe('echo: 换了模型吗？');

    expect(s.chatsAbout('换了模型吗？')[0]?.json.model).toBe('gpt-4.1');
    // Commands never reached the model.
    expect(s.openai.requestsTo('chat').filter((r) => JSON.stringify(r.json.messages).includes('#'))).toEqual([]);
  });

  it('stops on SIGTERM with exit code 0, and its whole log never shows a secret', async () => {
    await expectCleanStopWithoutSecrets(s);
  });
});
