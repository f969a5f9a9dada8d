import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReplyWindow, textReply, type Bot } from '@wecom-bot/core';
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

  it('keeps a banned word out of an answer shown as it grows: masked in every frame, or not shown', async () => {
    const pieces = ['the ', 'secret', ' is ', 'out'];
    const streaming: Bot = {
      name: 'streaming',
      reply: async () => textReply(pieces.join('')),
      async streamReply(_context, onText) {
        let soFar = '';
        for (const piece of pieces) {
          soFar += piece;
          onText(soFar);
          await new Promise((resolve) => setImmediate(resolve));
        }
        return textReply(soFar);
      },
    };
    for (const [action, final] of [['replace', 'the ****** is out'], ['ignore', undefined]] as const) {
      const { pipeline, useBot } = await appWithWords({ banwords_reply_action: action });
      useBot(streaming);
      const frames: string[] = [];
      const window = new ReplyWindow({ fit: (reply) => String(reply.content), onText: (text) => frames.push(text) });
      await pipeline.handle(textMessage('what happened?'), window);
      expect(frames.join('|')).not.toContain('secret');
      expect(window.close()).toEqual(final === undefined ? [] : [final]);
      // Frames may be fewer than pieces (a busy plugin run coalesces them); each is a masked prefix.
      if (final !== undefined) for (const frame of frames) expect(final.startsWith(frame)).toBe(true);
    }
  });
});
