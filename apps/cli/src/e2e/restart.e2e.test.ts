import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeWecomApi, memberMessage, nextMsgId, testWecomConfig, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

const keys = testWecomConfig('');
const CORP_ID = String(keys.wechatcom_corp_id);
const API_KEY = 'sk-e2e-restart-Vb4Tq9';
const ADMIN_PASSWORD = 'restart-admin-Wm2';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real process on the default disk store; `restart` starts it again in the same folder (same data_dir). */
async function durableBot() {
  const [wecom, openai]: [FakeWecomApi, FakeOpenAI] = await Promise.all([FakeWecomApi.start({ corpId: CORP_ID, secret: String(keys.wechatcomapp_secret) }), startFakeOpenAI({ apiKey: API_KEY })]);
  cleanups.push(() => wecom.close(), () => openai.close());
  const config = { ...testWecomConfig(wecom.baseUrl), wechatcomapp_passive_reply_ms: 0, bot_type: 'openai', open_ai_api_key: API_KEY, open_ai_api_base: openai.baseURL, admin_password: ADMIN_PASSWORD };
  let bot: BotProcess = await startBot(config);
  cleanups.push(() => bot.stop());
  const client = () => new WecomCallbackClient({ url: bot.callbackUrl, token: String(keys.wechatcomapp_token), aesKey: String(keys.wechatcomapp_aes_key), corpId: CORP_ID });
  const say = (text: string, msgId = nextMsgId()) => client().post(memberMessage(CORP_ID, 'zhangsan', 'text', { Content: text, MsgId: msgId }));
  const texts = () => wecom.sent.filter((m) => m.touser === 'zhangsan').map((m) => (m.text as { content: string } | undefined)?.content);
  const received = (count: number) => expect.poll(() => texts().length, { timeout: 8000, interval: 20 }).toBeGreaterThanOrEqual(count);
  return {
    wecom,
    openai,
    say,
    texts,
    received,
    /** kill -9 once the bot confirmed every reply WeCom got (killed before, the outbox sends it once more), then `wecom-bot start` again on the same data_dir. */
    async crashAndRestart() {
      await expect.poll(() => bot.stderr().split('\n').filter((l) => l.includes('"msg":"reply sent"')).length, { timeout: 8000, interval: 20 }).toBeGreaterThanOrEqual(texts().length);
      await bot.kill();
      bot = await startBot(config, 15_000, { dir: bot.dir });
    },
  };
}

describe('state kept on disk across a crash (store "disk", the default)', { timeout: 60_000 }, () => {
  it("after kill -9, WeCom's retry of a message already answered is not answered again, and the conversation goes on", async () => {
    const s = await durableBot();
    s.openai.setResponse('chat', { content: '会议在三楼。' }, { content: '您刚才问的是会议地点。' });
    const msgId = nextMsgId();
    expect((await s.say('会议在哪里？', msgId)).status).toBe(200);
    await s.received(1);

    await s.crashAndRestart();
    // WeCom did not see our answer to the first attempt, so it retries the same MsgId.
    expect((await s.say('会议在哪里？', msgId)).status).toBe(200);
    await s.say('我刚才问了什么？');
    await s.received(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(s.texts()).toEqual(['会议在三楼。', '您刚才问的是会议地点。']);
    expect(s.openai.requestsTo('chat')).toHaveLength(2);
    // The history survived the crash: the second question carries the first turn.
    expect(s.openai.requestsTo('chat')[1]!.json.messages.map((m: { content: string }) => m.content)).toEqual(expect.arrayContaining(['会议在哪里？', '会议在三楼。', '我刚才问了什么？']));
  });

  it('#model chosen by an admin survives the crash', async () => {
    const s = await durableBot();
    await s.say(`#auth ${ADMIN_PASSWORD}`);
    await s.say('#model gpt-4.1');
    await s.received(2);
    await s.crashAndRestart();
    s.openai.setResponse('chat', { content: 'ok' });
    await s.say('你好');
    await s.received(3);
    expect(s.openai.requestsTo('chat').at(-1)!.json.model).toBe('gpt-4.1');
  });
});
