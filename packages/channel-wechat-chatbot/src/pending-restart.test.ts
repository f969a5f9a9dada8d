// Late answers live in the app's pending store: with the disk store they outlive a restart.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDiskStores } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { GatedBot, refPlainDecrypt, skillBody, startChatbot, TEST_AES_KEY } from './testing/index.js';

const PLACEHOLDER = '正在思考中，请稍后发送「继续」获取回答';

async function ask(url: string, query: string, user: string): Promise<string> {
  const res = await fetch(`${url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: query, UserId: user }) });
  expect(res.status).toBe(200);
  return (JSON.parse(refPlainDecrypt(TEST_AES_KEY, await res.text())) as { text_info: { short_answer: string } }).text_info.short_answer;
}

describe('pending answers across a restart (store "disk")', () => {
  it('an answer that missed its request is handed over by the restarted channel, without asking the bot again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-chatbot-'));
    const stores = await createDiskStores({ dir });
    const bot = new GatedBot();
    const before = await startChatbot({ wechat_chatbot_reply_timeout: 0.2 }, bot, stores);
    expect(await ask(before.url, '写一首长诗', 'poet')).toBe(PLACEHOLDER);
    bot.release();
    await expect.poll(() => before.app.logLines.some((l) => l.includes('kept for the next request'))).toBe(true);
    await before.close();
    await stores.close();

    const again = await createDiskStores({ dir });
    const fresh = new GatedBot();
    const after = await startChatbot({ wechat_chatbot_reply_timeout: 0.2 }, fresh, again);
    try {
      expect(await ask(after.url, '继续', 'poet')).toBe('答：写一首长诗');
      expect(fresh.asked).toEqual([]);
      expect(await after.channel.pending.hasWork('skill:poet')).toBe(false);
    } finally {
      await after.close();
      await again.close();
    }
  });
});
