import { fileURLToPath } from 'node:url';
import { pluginTestApp, sentTexts, textMessage } from '@wecom-bot/plugins/testing';
import { describe, expect, it } from 'vitest';

// As if config.json sat in this folder: relative plugin paths resolve from it.
const configPath = fileURLToPath(new URL('config.json', import.meta.url));

function withWeather(config: Record<string, unknown> = {}) {
  return pluginTestApp({ plugins: [{ from: './weather.ts', config }] }, { configPath });
}

describe('example: weather plugin', () => {
  it('answers #weather <city> without the bot, and leaves other messages to it', async () => {
    const { pipeline, recorder } = await withWeather({ cities: { 成都: 21 } });
    await pipeline.handle(textMessage('#weather 成都'));
    await pipeline.handle(textMessage('#weather Atlantis'));
    await pipeline.handle(textMessage('#weather'));
    await pipeline.handle(textMessage('how is the weather?'));
    expect(sentTexts(recorder)).toEqual(['成都：21°C', '暂无 Atlantis 的天气。', '用法：#weather <城市>', 'how is the weather?']);
  });

  it('is skipped with a message naming the bad key', async () => {
    const { logLines, plugins } = await withWeather({ unit: 'Kelvin' });
    expect(plugins.has('weather')).toBe(false);
    expect(logLines.some((l) => l.includes('user plugin ./weather.ts skipped') && l.includes('is invalid: unit:'))).toBe(true);
  });
});
