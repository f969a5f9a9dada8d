import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textReply } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { pluginTestApp, sentTexts, textMessage } from '../testing/index.js';
import { REWORD_PROMPT } from './banwords-plugin.js';

async function appWithWords(raw: Record<string, unknown> = {}) {
  const app = await pluginTestApp(raw);
  writeFileSync(join(app.dataDir, 'banwords.txt'), 'secret\n\n机密\n');
  return app;
}

describe('banwords plugin', () => {
  it('ignores a message with a banned word (any case) and answers the others', async () => {
    const { pipeline, recorder } = await appWithWords();
    await pipeline.handle(textMessage('tell me the SECRET'));
    await pipeline.handle(textMessage('这是机密文件'));
    await pipeline.handle(textMessage('harmless'));
    expect(sentTexts(recorder)).toEqual(['harmless']);
  });

  it('with banwords_action replace, asks to reword and shows the masked text', async () => {
    const { pipeline, recorder } = await appWithWords({ banwords_action: 'replace' });
    await pipeline.handle(textMessage('这是机密'));
    expect(sentTexts(recorder)).toEqual([`${REWORD_PROMPT}这是**`]);
  });

  it('drops or masks a reply with a banned word', async () => {
    for (const [action, expected] of [['ignore', []], ['replace', ['the ****** is out']], ['off', ['the secret is out']]] as const) {
      const { pipeline, recorder, useBot } = await appWithWords({ banwords_reply_action: action });
      useBot({ name: 'leaky', reply: async () => textReply('the secret is out') });
      await pipeline.handle(textMessage('what happened?'));
      expect(sentTexts(recorder)).toEqual(expected);
    }
  });

  it('re-reads the file when it changes, and does nothing without one', async () => {
    const { pipeline, recorder, dataDir } = await pluginTestApp();
    await pipeline.handle(textMessage('fresh word'));
    writeFileSync(join(dataDir, 'banwords.txt'), 'fresh\n');
    await pipeline.handle(textMessage('fresh word'));
    expect(sentTexts(recorder)).toEqual(['fresh word']);
  });
});
