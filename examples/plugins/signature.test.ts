import { fileURLToPath } from 'node:url';
import { pluginTestApp, sentTexts, textMessage } from '@wecom-bot/plugins/testing';
import { describe, expect, it } from 'vitest';

// As if config.json sat in this folder: relative plugin paths resolve from it.
const configPath = fileURLToPath(new URL('config.json', import.meta.url));

describe('example: signature plugin (plain JavaScript)', () => {
  it('adds the configured footer to text replies, after the reply prefix', async () => {
    const app = await pluginTestApp(
      { single_chat_reply_prefix: '[bot] ', plugins: [{ from: './signature.mjs', config: { text: '—— 小助手' } }] },
      { configPath },
    );
    await app.pipeline.handle(textMessage('hello'));
    expect(sentTexts(app.recorder)).toEqual(['[bot] hello\n\n—— 小助手']);
  });

  it('leaves command answers (INFO) alone', async () => {
    const app = await pluginTestApp({ plugins: ['./signature.mjs'] }, { configPath });
    await app.pipeline.handle(textMessage('#reset'));
    expect(sentTexts(app.recorder)).toEqual(['会话已重置。']);
  });
});
