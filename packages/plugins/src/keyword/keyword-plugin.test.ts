import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pluginTestApp, sentTexts, textMessage } from '../testing/index.js';

describe('keyword plugin', () => {
  it('answers a fixed question with text or an image URL, and leaves others to the bot', async () => {
    const { pipeline, recorder, dataDir } = await pluginTestApp();
    writeFileSync(join(dataDir, 'keyword.json'), JSON.stringify({ keyword: { 上班时间: '9:00–18:00', logo: 'https://example.com/logo.png' } }));
    await pipeline.handle(textMessage(' 上班时间 '));
    await pipeline.handle(textMessage('logo'));
    await pipeline.handle(textMessage('上班时间是几点'));
    expect(recorder.sent.map((s) => s.reply)).toEqual([
      { type: 'TEXT', content: '9:00–18:00' },
      { type: 'IMAGE_URL', content: 'https://example.com/logo.png' },
      { type: 'TEXT', content: '上班时间是几点' },
    ]);
  });

  it('reads a configured file of plain pairs; a broken file is logged and skipped', async () => {
    const { pipeline, recorder, dataDir, logLines, config } = await pluginTestApp();
    const path = join(dataDir, 'faq.json');
    config.keyword_file = path;
    writeFileSync(path, '{ not json');
    await pipeline.handle(textMessage('wifi'));
    writeFileSync(path, JSON.stringify({ wifi: 'Guest / welcome123' }));
    await pipeline.handle(textMessage('wifi'));
    expect(sentTexts(recorder)).toEqual(['wifi', 'Guest / welcome123']);
    expect(logLines.some((l) => l.includes('faq.json is unreadable'))).toBe(true);
  });
});
