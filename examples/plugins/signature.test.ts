import { fileURLToPath } from 'node:url';
import { loadUserPlugins } from '@wecom-bot/plugins';
import { pluginTestApp, sentTexts, textMessage } from '@wecom-bot/plugins/testing';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

describe('example: signature plugin (plain JavaScript)', () => {
  it('adds the configured footer to text replies, after the reply prefix', async () => {
    const app = await pluginTestApp({
      single_chat_reply_prefix: '[bot] ',
      plugins: [{ from: './signature.mjs', config: { text: '—— 小助手' } }],
    });
    await loadUserPlugins(app.plugins, app.config, { logger: app.logger, baseDir: here });
    await app.pipeline.handle(textMessage('hello'));
    expect(sentTexts(app.recorder)).toEqual(['[bot] hello\n\n—— 小助手']);
  });

  it('leaves command answers (INFO) alone', async () => {
    const app = await pluginTestApp({ plugins: ['./signature.mjs'] });
    await loadUserPlugins(app.plugins, app.config, { logger: app.logger, baseDir: here });
    await app.pipeline.handle(textMessage('#reset'));
    expect(sentTexts(app.recorder)).toEqual(['会话已重置。']);
  });
});
