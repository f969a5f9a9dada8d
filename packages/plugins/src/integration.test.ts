import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig, describeKeys } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { pluginsIntegration } from './integration.js';
import { pluginTestApp, sentTexts, textMessage } from './testing/index.js';

const examples = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../examples/plugins');

describe('pluginsIntegration', () => {
  it('adds the built-ins in priority order and the user plugins relative to config.json; disabled_plugins start off', async () => {
    const app = await pluginTestApp({ plugins: ['./signature.mjs', './missing.ts'], disabled_plugins: ['keyword'] }, { configPath: resolve(examples, 'config.json') });
    expect(app.plugins.list().map((p) => [p.name, p.priority, p.enabled])).toEqual([
      ['admin', 1000, true],
      ['group-whitelist', 900, true],
      ['banwords', 850, true],
      ['voice', 800, true],
      ['prefix', 600, true],
      ['image-create', 500, true],
      ['keyword', 400, false],
      ['signature', -10, true],
      ['events', -1000, true],
    ]);
    expect(app.logLines.some((l) => l.includes('user plugin ./missing.ts skipped: file not found: '))).toBe(true);
    await app.pipeline.handle(textMessage('hi'));
    expect(app.recorder.sent[0]?.reply.content).toBe('hi\n\n—— 由 AI 生成，仅供参考');
  });

  it('#reload reloads the user plugins and sums them up in one line', async () => {
    const app = await pluginTestApp({ plugins: ['./signature.mjs', './missing.ts'], admin_users: ['alice'] }, { configPath: resolve(examples, 'config.json') });
    await app.pipeline.handle(textMessage('#reload'));
    expect(sentTexts(app.recorder)[0]).toMatch(/^已重载：config\.json is not reloaded here; plugins: signature ok, \.\/missing\.ts skipped \(file not found: /);
    expect(app.plugins.list().filter((p) => p.source !== 'builtin').map((p) => p.name)).toEqual(['signature']);
  });

  it('declares the flat chatgpt-on-wechat keys of every built-in once, in the order of the config reference', () => {
    const keys = describeKeys(pluginsIntegration.config);
    expect(keys.map((k) => k.key)).toEqual([
      'single_chat_prefix', 'single_chat_reply_prefix', 'single_chat_reply_suffix', 'group_chat_prefix', 'group_chat_keyword', 'group_at_off',
      'group_chat_reply_prefix', 'group_chat_reply_suffix', 'group_name_white_list', 'group_name_keyword_white_list', 'image_create_prefix',
      'speech_recognition', 'group_speech_recognition', 'voice_reply_voice', 'always_reply_voice', 'ffmpeg_path', 'ffmpeg_timeout_seconds',
      'voice_max_concurrent_transcodes',
      'plugin_trigger_prefix', 'admin_password', 'admin_users', 'banwords_file', 'banwords_action', 'banwords_reply_action', 'keyword_file',
      'subscribe_msg', 'disabled_plugins',
    ]);
    expect(keys.filter((k) => k.secret).map((k) => k.key)).toEqual(['admin_password']);
    expect(defaultConfig(pluginsIntegration.config)).toMatchObject({ group_chat_prefix: ['@bot'], image_create_prefix: ['画'], plugin_trigger_prefix: '#', ffmpeg_timeout_seconds: 30 });
  });
});
