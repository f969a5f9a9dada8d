// Two instances of the dialogue platform's backend sharing one Redis: an answer that missed
// its request on one instance is handed over by the other, when the user's next request lands there.
import { randomUUID } from 'node:crypto';
import { GatedBot, refPlainDecrypt, skillBody, startChatbot, TEST_AES_KEY } from '@wecom-bot/channel-wechat-chatbot/testing';
import { createRedisStores } from '@wecom-bot/store-redis';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteRedisKeys } from './redis-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PLACEHOLDER = '正在思考中，请稍后发送「继续」获取回答';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ask(url: string, query: string, user: string): Promise<string> {
  const res = await fetch(`${url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: query, UserId: user }) });
  expect(res.status).toBe(200);
  return (JSON.parse(refPlainDecrypt(TEST_AES_KEY, await res.text())) as { text_info: { short_answer: string } }).text_info.short_answer;
}

async function instance(prefix: string, bot: GatedBot) {
  const stores = await createRedisStores({ url: REDIS_URL, prefix });
  cleanups.push(() => stores.close());
  const started = await startChatbot({ wechat_chatbot_reply_timeout: 0.2 }, bot, stores);
  cleanups.push(() => started.close());
  return started;
}

describe('pending answers shared through Redis', () => {
  it('the late answer of a request to instance A is handed over by instance B; B does not ask its bot', async () => {
    const prefix = `wecom-bot-test:${randomUUID()}:`;
    cleanups.push(() => deleteRedisKeys(REDIS_URL, prefix));
    const [botA, botB] = [new GatedBot(), new GatedBot()];
    const [a, b] = [await instance(prefix, botA), await instance(prefix, botB)];

    expect(await ask(a.url, '写一首长诗', 'poet')).toBe(PLACEHOLDER);
    botA.release();
    await expect.poll(() => a.app.logLines.some((l) => l.includes('kept for the next request'))).toBe(true);

    expect(await ask(b.url, '继续', 'poet')).toBe('答：写一首长诗');
    expect(botB.asked).toEqual([]);
    // Handed over once: A has nothing left for the user either.
    expect(await a.channel.pending.hasWork('skill:poet')).toBe(false);
  });
});
