import { describe, expect, it } from 'vitest';
import { groupMessage, pluginTestApp, sentTexts, textMessage } from '../testing/index.js';
import { AmrRecordingChannel } from '../testing/index.js';

describe('prefix plugin', () => {
  it('answers every single-chat message by default (a WeCom app chat is 1:1 with the bot)', async () => {
    const { pipeline, recorder } = await pluginTestApp();
    await pipeline.handle(textMessage('hello'));
    expect(sentTexts(recorder)).toEqual(['hello']);
  });

  it('with single_chat_prefix, answers only prefixed messages and strips the prefix', async () => {
    const { pipeline, recorder } = await pluginTestApp({ single_chat_prefix: ['bot', '@bot'], single_chat_reply_prefix: '[bot] ', single_chat_reply_suffix: ' ~' });
    await pipeline.handle(textMessage('just talking'));
    await pipeline.handle(textMessage('bot  what is 2+2'));
    await pipeline.handle(textMessage('@bot hi'));
    expect(sentTexts(recorder)).toEqual(['[bot] what is 2+2 ~', '[bot] hi ~']);
  });

  it('in a group, answers a prefix, a keyword or an @-mention, and mentions the sender', async () => {
    const { pipeline, recorder } = await pluginTestApp(
      { group_name_white_list: ['Team'], group_chat_keyword: ['help'], group_chat_reply_prefix: '> ' },
      { channel: new AmrRecordingChannel() },
    );
    await pipeline.handle(groupMessage('no trigger here'));
    await pipeline.handle(groupMessage('@bot summarise'));
    await pipeline.handle(groupMessage('I need help please'));
    await pipeline.handle(groupMessage('at me', { isAt: true }));
    expect(sentTexts(recorder)).toEqual(['> @Alice summarise', '> @Alice I need help please', '> @Alice at me']);
  });

  it('group_at_off ignores a bare @-mention; a channel that cannot mention gets no @', async () => {
    const { pipeline, recorder } = await pluginTestApp({ group_name_white_list: ['Team'], group_at_off: true });
    await pipeline.handle(groupMessage('at me', { isAt: true }));
    await pipeline.handle(groupMessage('@bot ok'));
    expect(sentTexts(recorder)).toEqual(['ok']);
  });

  it('drops a message that is only the prefix', async () => {
    const { pipeline, recorder } = await pluginTestApp({ single_chat_prefix: ['bot'] });
    await pipeline.handle(textMessage('bot'));
    await pipeline.handle(textMessage('bot next'));
    expect(sentTexts(recorder)).toEqual(['next']);
  });

  it('reads a chatgpt-on-wechat [""] prefix as "answer everything", in single chat and in groups', async () => {
    const { pipeline, recorder } = await pluginTestApp({ single_chat_prefix: [''], group_chat_prefix: [''], group_name_white_list: ['Team'] });
    await pipeline.handle(textMessage('hello there'));
    await pipeline.handle(groupMessage('anyone here?'));
    expect(sentTexts(recorder)).toEqual(['hello there', 'anyone here?']);
  });
});
