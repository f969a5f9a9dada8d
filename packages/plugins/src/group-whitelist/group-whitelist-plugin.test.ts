import { describe, expect, it } from 'vitest';
import { groupMessage, pluginTestApp, sentTexts, textMessage } from '../testing/index.js';

describe('group whitelist plugin', () => {
  it('answers in no group by default, single chat still works', async () => {
    const { pipeline, recorder } = await pluginTestApp();
    await pipeline.handle(groupMessage('@bot hi'));
    await pipeline.handle(textMessage('direct'));
    expect(sentTexts(recorder)).toEqual(['direct']);
  });

  it('answers in groups listed by name or by a word of their name, not in others', async () => {
    const { pipeline, recorder } = await pluginTestApp({ group_name_white_list: ['Team'], group_name_keyword_white_list: ['AI'] });
    await pipeline.handle(groupMessage('@bot one', { groupName: 'Team' }));
    await pipeline.handle(groupMessage('@bot two', { groupName: 'AI 研究组' }));
    await pipeline.handle(groupMessage('@bot three', { groupName: 'Sales' }));
    await pipeline.handle(groupMessage('@bot four', { groupName: undefined }));
    expect(sentTexts(recorder)).toEqual(['one', 'two']);
  });

  it('ALL_GROUP opens every group', async () => {
    const { pipeline, recorder } = await pluginTestApp({ group_name_white_list: ['ALL_GROUP'] });
    await pipeline.handle(groupMessage('@bot anywhere', { groupName: 'Whatever' }));
    expect(sentTexts(recorder)).toEqual(['anywhere']);
  });

  it("answers in a group the platform does not name (the AI bot's) while the lists are empty; a list of chat ids restricts it", async () => {
    const open = await pluginTestApp();
    await open.pipeline.handle(groupMessage('@bot added here', { groupName: undefined, groupId: 'wrA' }));
    expect(sentTexts(open.recorder)).toEqual(['added here']);
    const restricted = await pluginTestApp({ group_name_white_list: ['wrA'] });
    await restricted.pipeline.handle(groupMessage('@bot listed', { groupName: undefined, groupId: 'wrA' }));
    await restricted.pipeline.handle(groupMessage('@bot not listed', { groupName: undefined, groupId: 'wrB' }));
    expect(sentTexts(restricted.recorder)).toEqual(['listed']);
  });
});
