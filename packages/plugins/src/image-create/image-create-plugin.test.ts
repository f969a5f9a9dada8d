import { textReply } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { groupMessage, pluginTestApp, sentTexts, textMessage } from '../testing/index.js';

describe('image create plugin', () => {
  it('turns "画 …" into an IMAGE_CREATE context with the prompt, after the group prefix is stripped', async () => {
    const { pipeline, recorder, useBot } = await pluginTestApp({ group_name_white_list: ['ALL_GROUP'] });
    const seen: Array<[string, string]> = [];
    useBot({ name: 'spy', reply: async (c) => (seen.push([c.type, c.content]), textReply('ok')) });
    await pipeline.handle(textMessage('画 一只猫'));
    await pipeline.handle(groupMessage('@bot 画一条狗'));
    await pipeline.handle(textMessage('看看这个问题'));
    await pipeline.handle(textMessage('画'));
    expect(seen).toEqual([['IMAGE_CREATE', '一只猫'], ['IMAGE_CREATE', '一条狗'], ['TEXT', '看看这个问题'], ['TEXT', '画']]);
    expect(sentTexts(recorder)).toHaveLength(4);
  });

  it('uses the configured prefixes', async () => {
    const { pipeline, recorder } = await pluginTestApp({ image_create_prefix: ['draw', '画', '看', '找'] });
    await pipeline.handle(textMessage('draw a boat'));
    await pipeline.handle(textMessage('找 一张风景照'));
    expect(sentTexts(recorder)).toEqual(['[IMAGE_CREATE] a boat', '[IMAGE_CREATE] 一张风景照']);
  });

  it('an empty image prefix draws nothing (as in chatgpt-on-wechat), every other prefix still works', async () => {
    const { pipeline, recorder } = await pluginTestApp({ image_create_prefix: ['', '画'] });
    await pipeline.handle(textMessage('a plain question'));
    await pipeline.handle(textMessage('画 一只猫'));
    expect(sentTexts(recorder)).toEqual(['a plain question', '[IMAGE_CREATE] 一只猫']);
  });
});
