import { FakeWecomApi, memberMessage, nextMsgId, testWecomConfig, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

const keys = testWecomConfig('');

// A weworktop deployment moved to wecom-bot as it is: WeCom keeps calling the URL saved in the console.
describe('wecom-bot start on a weworktop config.json', () => {
  let wecom: FakeWecomApi;
  let bot: BotProcess;
  beforeAll(async () => {
    wecom = await FakeWecomApi.start({ corpId: String(keys.wechatcom_corp_id), secret: String(keys.wechatcomapp_secret) });
    bot = await startBot({
      services: {
        channel_type: 'weworktop',
        weworktop: { corp_id: keys.wechatcom_corp_id, corp_secret: keys.wechatcomapp_secret, agent_id: 1000002, port: 0, token: keys.wechatcomapp_token, aes_key: keys.wechatcomapp_aes_key },
      },
      bot_type: 'echo',
      wechatcomapp_host: '127.0.0.1',
      wechatcomapp_api_base: wecom.baseUrl,
      voice_to_text: '',
      text_to_voice: '',
    }, 45_000);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await wecom?.close();
  });

  it("serves weworktop's callback path, /wework_callback", async () => {
    expect(new URL(bot.callbackUrl).pathname).toBe('/wework_callback');
    const client = new WecomCallbackClient({ url: bot.callbackUrl, token: String(keys.wechatcomapp_token), aesKey: String(keys.wechatcomapp_aes_key), corpId: String(keys.wechatcom_corp_id) });
    expect((await client.verify('4242')).body).toBe('4242');
    const answer = await client.post(memberMessage(String(keys.wechatcom_corp_id), 'zhangsan', 'text', { Content: '还在吗', MsgId: nextMsgId() }));
    expect(answer.status).toBe(200);
    expect(answer.reply ?? '').toContain('还在吗');
  });

  it('a request to another path gets 404 and one warning naming the configured path, however many come', async () => {
    const origin = new URL(bot.callbackUrl).origin;
    for (let i = 0; i < 25; i++) expect((await fetch(`${origin}/wxcomapp?probe=${i}`)).status).toBe(404);
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    const warnings = bot.stderr().split('\n').filter((l) => l.includes('not the callback path'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WeCom calls \/wework_callback \(wechatcomapp_path\)/);
  });
});
