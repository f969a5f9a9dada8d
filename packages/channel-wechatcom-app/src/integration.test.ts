import { createMemoryStores } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, start, text } from './testing/channel-harness.js';

afterEach(closeAll);

describe('the wechatcom_app integration keeps an outbox where it can be resumed from', () => {
  it('records a message under way in stores that outlive the process, and none in memory (nothing could resume it)', async () => {
    const lasting = { ...createMemoryStores(), volatile: false };
    const volatile = createMemoryStores();
    for (const stores of [lasting, volatile]) {
      const h = await start({}, stores);
      let release!: () => void;
      h.bot.answer = () => new Promise((resolve) => (release = () => resolve({ type: 'TEXT', content: 'ok' })));
      expect((await h.wecom.post(text(h, '会议在哪里？'))).status).toBe(200);
      await expect.poll(() => h.bot.contexts.length).toBe(1);
      const underWay = await stores.outbox.unfinished({ olderThanMs: 0 });
      expect(underWay).toHaveLength(stores === lasting ? 1 : 0);
      release();
      await h.api.waitForSent(1);
      await expect.poll(() => stores.outbox.unfinished({ olderThanMs: 0 })).toEqual([]);
    }
  });
});
