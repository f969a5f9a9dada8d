import { startFakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeAibotServer, isFinal, streamFrames, textMessage } from '@wecom-bot/channel-wecom-bot/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

const BOT_ID = 'aibE2EBOT0001';
const SECRET = 'e2e-aibot-secret-Hn3Lw8';
const API_KEY = 'sk-e2e-aibot-Xq7Pz2';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real `wecom-bot start` with channel_type wecom_bot, on a fake WeCom long connection and a fake OpenAI. */
async function startAiBot(overrides: Record<string, unknown> = {}) {
  const [wecom, openai] = await Promise.all([FakeAibotServer.start({ botId: BOT_ID, secret: SECRET }), startFakeOpenAI({ apiKey: API_KEY })]);
  cleanups.push(() => wecom.close(), () => openai.close());
  const bot: BotProcess = await startBot(
    {
      channel_type: 'wecom_bot',
      wecom_bot_id: BOT_ID,
      wecom_bot_secret: SECRET,
      wecom_bot_ws_url: wecom.url,
      wecom_bot_name: '小微',
      wecom_bot_stream_interval_ms: 100,
      wecom_bot_ops_port: 0,
      bot_type: 'openai',
      open_ai_api_key: API_KEY,
      open_ai_api_base: openai.baseURL,
      log_level: 'trace',
      ...overrides,
    },
    15_000,
    { callbackServer: false },
  );
  cleanups.push(() => bot.stop());
  return { wecom, openai, bot };
}

describe('wecom-bot start with the AI bot (long connection)', () => {
  it("streams the model's answer into the group message's bubble: growing, line breaks intact, finished once", async () => {
    const { wecom, openai, bot } = await startAiBot();
    const answer = '周报要点：\n\n1. 完成接口联调\n2. 修复三个缺陷\n\n下周：上线。';
    openai.setResponse('chat', { content: answer, chunks: answer.match(/[\s\S]{1,3}/g)!, chunkDelayMs: 40 });
    const reqId = wecom.pushMessage(textMessage('@小微总结一下本周', { chattype: 'group', chatid: 'wrTEAM' }));
    await wecom.waitForFrames(isFinal(reqId), 1, 10_000);
    const frames = streamFrames(wecom, reqId);
    expect(frames.at(-1)).toEqual({ content: answer, finish: true });
    const growing = frames.slice(1, -1).map((f) => f.content);
    expect(growing.length).toBeGreaterThan(1);
    for (const text of growing) expect(answer.startsWith(text)).toBe(true);
    // The mention is gone from what the model was asked; the stream was asked for.
    const request = openai.requestsTo('chat')[0]!.json;
    expect(request.stream).toBe(true);
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: '总结一下本周' });
    expect(wecom.framesOf('aibot_send_msg')).toEqual([]);
    for (const secret of [SECRET, API_KEY]) expect(bot.stderr()).not.toContain(secret);
  });

  it('says what to fix when WeCom refuses the secret, and exits 1 without printing it', async () => {
    const wecom = await FakeAibotServer.start({ botId: BOT_ID, secret: 'the-right-one' });
    cleanups.push(() => wecom.close());
    const failure = await startBot({ channel_type: 'wecom_bot', wecom_bot_id: BOT_ID, wecom_bot_secret: SECRET, wecom_bot_ws_url: wecom.url, wecom_bot_ops_port: 0, bot_type: 'echo' }, 10_000, { callbackServer: false }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    // startBot rejects with the process's stderr when it exits before running.
    expect(failure).toMatch(/wecom_bot_secret/);
    expect(failure).not.toContain(SECRET);
  });
});
