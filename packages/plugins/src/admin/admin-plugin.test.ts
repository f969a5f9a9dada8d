import { ConfigError, createMemoryStores, definePlugin, textReply } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { groupMessage, pluginTestApp, sentTexts, textMessage } from '../testing/index.js';

const PASSWORD = 'correct horse battery';

describe('admin plugin', () => {
  it('#help lists the commands of every plugin, user plugins included, and admin ones only to admins', async () => {
    const { pipeline, recorder, plugins } = await pluginTestApp({ admin_password: PASSWORD });
    await plugins.add(definePlugin({ name: 'weather', commands: [{ name: 'weather <城市>', description: '查天气' }], onHandleContext: () => undefined }));
    await pipeline.handle(textMessage('#help'));
    const help = sentTexts(recorder)[0]!;
    expect(help).toContain('#reset');
    expect(help).toContain('#weather <城市>：查天气');
    expect(help).not.toContain('#model');
    await pipeline.handle(textMessage(`#auth ${PASSWORD}`));
    await pipeline.handle(textMessage('#help'));
    expect(sentTexts(recorder)[2]).toContain('#plugins list | enable <名称> | disable <名称>');
  });

  it('#reset clears the session in the bot and in the session store', async () => {
    const { pipeline, recorder, useBot, plugins } = await pluginTestApp();
    const resets: string[] = [];
    useBot({ name: 'memo', reply: async () => textReply('hi'), resetSession: async (id) => void resets.push(id) });
    const store = plugins.host.sessions;
    await store.set('recording:alice', { turns: ['old'] });
    await pipeline.handle(textMessage('#reset'));
    expect(resets).toEqual(['recording:alice']);
    expect(await store.get('recording:alice')).toBeUndefined();
    expect(sentTexts(recorder)).toEqual(['会话已重置。']);
  });

  it('refuses admin commands without #auth, and allows them after; the admin list survives a restart', async () => {
    const stores = createMemoryStores();
    const { pipeline, recorder, config, dataDir } = await pluginTestApp({ admin_password: PASSWORD, model: 'gpt-4o-mini' }, { stores });
    await pipeline.handle(textMessage('#model gpt-4o'));
    expect(sentTexts(recorder)[0]).toContain('需要管理员权限');
    expect(config.model).toBe('gpt-4o-mini');
    await pipeline.handle(textMessage('#auth wrong'));
    expect(sentTexts(recorder)[1]).toBe('口令错误，认证失败。');
    await pipeline.handle(textMessage(`#auth ${PASSWORD}`));
    expect(sentTexts(recorder)[2]).toBe('认证成功，你现在是管理员。');
    await pipeline.handle(textMessage('#model gpt-4o'));
    expect(config.model).toBe('gpt-4o');
    expect(await stores.settings.get('admin:recording:alice')).toBe(true);

    // A new process with the same stores (disk, Redis): alice is still an admin, bob is not.
    const again = await pluginTestApp({ data_dir: dataDir, admin_password: PASSWORD }, { stores });
    await again.pipeline.handle(textMessage('#model'));
    await again.pipeline.handle(textMessage('#model', { senderId: 'bob' }));
    expect(sentTexts(again.recorder)[0]).toBe('当前模型：gpt-4o-mini');
    expect(sentTexts(again.recorder)[1]).toContain('需要管理员权限');
  });

  it('with no admin_password, #auth says it is off; admin_users are admins anyway', async () => {
    const { pipeline, recorder } = await pluginTestApp({ admin_users: ['carol'] });
    await pipeline.handle(textMessage('#auth anything'));
    await pipeline.handle(textMessage('#plugins list', { senderId: 'carol' }));
    expect(sentTexts(recorder)[0]).toContain('#auth 已关闭');
    expect(sentTexts(recorder)[1]).toContain('✓ admin (1000, builtin)');
    expect(sentTexts(recorder)[1]).toContain('✓ prefix (600, builtin)');
  });

  it('locks #auth after five wrong passwords, and never takes a password in a group', async () => {
    const { pipeline, recorder, logLines } = await pluginTestApp({ admin_password: PASSWORD, group_name_white_list: ['ALL_GROUP'] });
    for (let i = 0; i < 5; i++) await pipeline.handle(textMessage(`#auth guess${i}`));
    await pipeline.handle(textMessage(`#auth ${PASSWORD}`));
    expect(sentTexts(recorder)[5]).toContain('错误次数过多');
    await pipeline.handle(groupMessage(`@bot #auth ${PASSWORD}`, { senderId: 'dave' }));
    expect(sentTexts(recorder)[6]).toContain('请在私聊中认证');
    expect(logLines.join('\n')).not.toContain(PASSWORD);
  });

  it('#plugins disable and enable switch a plugin; admin cannot be disabled', async () => {
    const { pipeline, recorder } = await pluginTestApp({ admin_users: ['alice'], image_create_prefix: ['draw'] });
    await pipeline.handle(textMessage('#plugins disable image-create'));
    await pipeline.handle(textMessage('draw a cat'));
    await pipeline.handle(textMessage('#plugins enable image-create'));
    await pipeline.handle(textMessage('draw a dog'));
    await pipeline.handle(textMessage('#plugins disable admin'));
    await pipeline.handle(textMessage('#plugins disable nope'));
    expect(sentTexts(recorder)).toEqual([
      '插件 image-create 已停用。',
      'draw a cat',
      '插件 image-create 已启用。',
      '[IMAGE_CREATE] a dog',
      '不能停用 admin 插件本身。',
      '没有名为 nope 的插件。',
    ]);
  });

  it('#reload of a broken config.json says what is wrong, keeps the running settings, and is not sent to the bot', async () => {
    const { pipeline, recorder, plugins, config } = await pluginTestApp({ admin_users: ['alice'], model: 'gpt-4o-mini' });
    plugins.host.reload = async () => {
      throw new ConfigError(['max_concurrent_bot_calls must be a number, got string'], 'config.json');
    };
    await pipeline.handle(textMessage('#reload'));
    expect(sentTexts(recorder)).toEqual(['重载失败，仍使用原来的配置：config.json has 1 problem:\n  - max_concurrent_bot_calls must be a number, got string']);
    expect(config.model).toBe('gpt-4o-mini');
  });

  it('#reload answers with the host summary for admins; unknown commands go to the bot', async () => {
    const { pipeline, recorder } = await pluginTestApp({ admin_users: ['alice'] });
    await pipeline.handle(textMessage('#reload'));
    await pipeline.handle(textMessage('#unknown thing'));
    expect(sentTexts(recorder)).toEqual(['已重载：config.json is not reloaded here; plugins: no user plugins', '#unknown thing']);
  });
});
