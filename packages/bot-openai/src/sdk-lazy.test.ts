import { describe, expect, it } from 'vitest';
import { loadedSdk } from './sdk.js';
import { message, openaiTestApp } from './testing/test-app.js';

// Its own file: vitest gives each file fresh modules, so no other test has loaded the SDK here.
describe('the openai SDK', () => {
  it('is imported neither for chat (plain or streamed) nor by the warm-up, but for the first image', async () => {
    const app = await openaiTestApp({ max_retries: 0 });
    try {
      const bot = app.bridge.bot;
      expect((await bot.reply(message('hi'))).content).toBe('echo: hi');
      expect((await bot.streamReply!(message('again'), () => {})).content).toBe('echo: again');
      await bot.warmUp!();
      expect(loadedSdk()).toBeUndefined();
      expect((await bot.reply(message('a cat', undefined, 'IMAGE_CREATE'))).type).toBe('IMAGE_URL');
      expect(loadedSdk()).toBeDefined();
    } finally {
      await app.fake.close();
    }
  });
});
