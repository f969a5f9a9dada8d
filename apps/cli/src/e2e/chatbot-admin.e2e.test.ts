import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

const ADMIN_PASSWORD = 'e2e-admin-pass-Jt5s';

// The curl attack on a dialogue-platform bot whose legacy API (mode 2) has no key.
describe('wecom-bot start: the legacy API (mode 2) without wechat_chatbot_api_key', () => {
  let bot: BotProcess;
  let api: string;
  beforeAll(async () => {
    bot = await startBot(
      {
        channel_type: 'wechat_chatbot',
        bot_type: 'echo',
        wechat_chatbot_token: 'skillTokenForTests123',
        wechat_chatbot_aes_key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
        wechat_chatbot_host: '0.0.0.0',
        wechat_chatbot_port: 0,
        admin_users: ['boss'],
        admin_password: ADMIN_PASSWORD,
        voice_to_text: '',
        text_to_voice: '',
      },
      45_000,
      { callbackServer: false },
    );
    const port = /listening on 127\.0\.0\.1:(\d+)/.exec(bot.stderr())?.[1];
    expect(port, bot.stderr()).toBeDefined();
    api = `http://127.0.0.1:${port}/wxchatbot/api`;
  }, 60_000);
  afterAll(async () => bot?.stop());

  const ask = async (uid: string, q: string) => {
    const res = await fetch(`${api}?q=${encodeURIComponent(q)}`, { headers: { uid, requestid: `r-${Math.random()}` } });
    return ((await res.json()) as { data_list: Array<{ answer: string }> }).data_list[0]?.answer;
  };

  it('listens on loopback only, though wechat_chatbot_host is 0.0.0.0', () => {
    expect(bot.stderr()).toMatch(/listening on 127\.0\.0\.1 only, not 0\.0\.0\.0/);
  });

  it('never runs an admin command for a uid header, not even an admin_users one, nor lets #auth be guessed', async () => {
    expect(await ask('boss', '#model gpt-evil')).toBe('此入口无法验证发送者身份，不能使用管理员指令。');
    expect(await ask('boss', '#plugins disable banwords')).toBe('此入口无法验证发送者身份，不能使用管理员指令。');
    expect(await ask('mallory', `#auth ${ADMIN_PASSWORD}`)).toBe('此入口无法验证发送者身份，不能使用管理员指令。');
    // Chat still works.
    expect(await ask('anyone', 'hello')).toBe('hello');
  });
});
