import { fileURLToPath } from 'node:url';
import { loadUserPlugins } from '@wecom-bot/plugins';
import { pluginTestApp, sentTexts, textMessage } from '@wecom-bot/plugins/testing';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));

async function withWeather(config: Record<string, unknown> = {}) {
  const app = await pluginTestApp({ plugins: [{ from: './weather.ts', config }] });
  const [outcome] = await loadUserPlugins(app.plugins, app.config, { logger: app.logger, baseDir: here });
  return { ...app, outcome };
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
    const { outcome, plugins } = await withWeather({ unit: 'Kelvin' });
    expect(outcome?.ok).toBe(false);
    expect(outcome?.error).toContain('unit');
    expect(plugins.has('weather')).toBe(false);
  });
});
