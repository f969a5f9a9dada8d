// The AI bot's outbox with real processes: `wecom-bot start` with channel_type wecom_bot on the
// default disk store, over a fake WeCom long connection that outlives it, killed with SIGKILL
// and started again on the same data_dir (the same instance: it takes its work up at start).
// A stream cannot be continued by the new process, so a resumed answer comes by aibot_send_msg.
import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeAibotServer, isFinal, streamFrames, textMessage } from '@wecom-bot/channel-wecom-bot/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

const BOT_ID = 'aibE2EOUTBOX01';
const SECRET = 'e2e-aibot-outbox-secret-Tq4Wd7';
const API_KEY = 'sk-e2e-aibot-outbox-Lm5Rx8';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function durableAiBot() {
  const [wecom, openai]: [FakeAibotServer, FakeOpenAI] = await Promise.all([FakeAibotServer.start({ botId: BOT_ID, secret: SECRET }), startFakeOpenAI({ apiKey: API_KEY })]);
  cleanups.push(() => wecom.close(), () => openai.close());
  const config = {
    channel_type: 'wecom_bot',
    wecom_bot_id: BOT_ID,
    wecom_bot_secret: SECRET,
    wecom_bot_ws_url: wecom.url,
    wecom_bot_name: '小微',
    wecom_bot_ops_port: 0,
    bot_type: 'openai',
    open_ai_api_key: API_KEY,
    open_ai_api_base: openai.baseURL,
    log_level: 'debug',
  };
  let bot: BotProcess = await startBot(config, 15_000, { callbackServer: false });
  cleanups.push(() => bot.stop());
  await wecom.waitForSubscriptions(1);
  return {
    wecom,
    openai,
    bot: () => bot,
    /** Answers outside any bubble: what aibot_send_msg carried, to whom. */
    sent: () => wecom.framesOf('aibot_send_msg').map((f) => f.body as { chatid: string; markdown: { content: string } }).map((b) => ({ to: b.chatid, text: b.markdown.content })),
    /** kill -9, then `wecom-bot start` again on the same data_dir; resolves once it is subscribed again. */
    async crashAndRestart() {
      const subscriptions = wecom.subscriptions;
      await bot.kill();
      bot = await startBot(config, 15_000, { callbackServer: false, dir: bot.dir });
      await wecom.waitForSubscriptions(subscriptions + 1, 15_000);
    },
  };
}

/** Long enough for a second (wrong) message to have arrived if one were coming. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));
const question = () => textMessage('@小微 会议在哪里？', { chattype: 'group', chatid: 'wrTEAM' });

describe('the AI bot outbox across kill -9 (long connection, store "disk")', { timeout: 60_000 }, () => {
  it('a message whose answer was pending is answered after the restart, once, by aibot_send_msg; a re-delivery is not answered', async () => {
    const s = await durableAiBot();
    // The first answer never comes in time: the process dies while the model is still writing.
    s.openai.setResponse('chat', { content: '太晚了', delayMs: 50_000 }, { content: '会议在三楼。' });
    const message = question();
    const reqId = s.wecom.pushMessage(message);
    await expect.poll(() => s.openai.requestsTo('chat').length, { timeout: 10_000 }).toBe(1);
    expect(streamFrames(s.wecom, reqId)).toEqual([{ content: '思考中…', finish: false }]);

    await s.crashAndRestart();
    await expect.poll(() => s.sent(), { timeout: 30_000, interval: 100 }).toEqual([{ to: 'wrTEAM', text: '会议在三楼。' }]);
    // WeCom delivers the same message again on the new connection: acknowledged only.
    const again = s.wecom.pushMessage(message);
    await settle();
    expect(streamFrames(s.wecom, again)).toEqual([]);
    expect(s.sent()).toHaveLength(1);
    expect(s.openai.requestsTo('chat')).toHaveLength(2);
    expect(s.bot().stderr()).toContain('handling it again');
    for (const secret of [SECRET, API_KEY]) expect(s.bot().stderr()).not.toContain(secret);
  });

  it('an answer shown and confirmed before the kill is not sent again, and the model is not asked again', async () => {
    const s = await durableAiBot();
    s.openai.setResponse('chat', { content: '会议在三楼。' });
    const message = question();
    const reqId = s.wecom.pushMessage(message);
    await s.wecom.waitForFrames(isFinal(reqId), 1, 10_000);
    await s.bot().waitForLog(/answer delivered and marked sent/, 10_000);

    await s.crashAndRestart();
    s.wecom.pushMessage(message);
    await settle();
    expect(streamFrames(s.wecom, reqId).at(-1)).toEqual({ content: '会议在三楼。', finish: true });
    expect(s.sent()).toEqual([]);
    expect(s.openai.requestsTo('chat')).toHaveLength(1);
  });

  it('an answer whose final frame WeCom never confirmed is sent once after the restart, without asking the model again', async () => {
    const s = await durableAiBot();
    s.openai.setResponse('chat', { content: '会议在三楼。' });
    // WeCom takes the final frame and never acks it: the process dies waiting.
    s.wecom.dropAcks((f) => f.cmd === 'aibot_respond_msg' && (f.body as { stream?: { finish?: boolean } }).stream?.finish === true);
    const reqId = s.wecom.pushMessage(question());
    await s.wecom.waitForFrames(isFinal(reqId), 1, 10_000);

    await s.crashAndRestart();
    await expect.poll(() => s.sent(), { timeout: 30_000, interval: 100 }).toEqual([{ to: 'wrTEAM', text: '会议在三楼。' }]);
    await settle();
    expect(s.sent()).toHaveLength(1);
    expect(s.openai.requestsTo('chat')).toHaveLength(1);
    expect(s.bot().stderr()).toContain('sending it once more');
  });
});
