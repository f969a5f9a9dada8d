import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeWecomApi, memberMessage, nextMsgId, testWecomConfig, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { expect } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

export const API_KEY = 'sk-e2e-chat-Qm81hZ0pW4vX7cL2';
export const ADMIN_PASSWORD = 'e2e-admin-pass-Jt5s';
export const PERSONA = '你是测试公司的助手小微，回答要简短。';

const wecomKeys = testWecomConfig('');
export const CORP_ID = String(wecomKeys.wechatcom_corp_id);
export const AGENT_ID = Number(wecomKeys.wechatcomapp_agent_id);

type ChatMessage = { role: string; content: string };

/**
 * The real `wecom-bot start` process, reached only as WeCom and OpenAI would reach it:
 * encrypted callbacks in, WeCom API and OpenAI API calls out to fakes on loopback. `crash` and
 * `restart` kill it with SIGKILL and start it again on the same data_dir (the same instance).
 */
export async function startStack(overrides: Record<string, unknown> = {}, options: { startTimeoutMs?: number } = {}) {
  const [wecom, openai]: [FakeWecomApi, FakeOpenAI] = await Promise.all([
    FakeWecomApi.start({ corpId: CORP_ID, secret: String(wecomKeys.wechatcomapp_secret) }),
    startFakeOpenAI({ apiKey: API_KEY }),
  ]);
  const config = {
    ...testWecomConfig(wecom.baseUrl),
    bot_type: 'openai',
    open_ai_api_key: API_KEY,
    open_ai_api_base: openai.baseURL,
    character_desc: PERSONA,
    max_retries: 1,
    admin_password: ADMIN_PASSWORD,
    // The most talkative level, so the secrets check sees every line the product can write.
    log_level: 'trace',
    ...overrides,
  };
  let bot: BotProcess;
  try {
    bot = await startBot(config, options.startTimeoutMs);
  } catch (error) {
    await Promise.all([wecom.close(), openai.close()]);
    throw error;
  }
  // A restarted process listens on a port of its own: the client follows it.
  const client = () => new WecomCallbackClient({ url: bot.callbackUrl, token: String(wecomKeys.wechatcomapp_token), aesKey: String(wecomKeys.wechatcomapp_aes_key), corpId: CORP_ID });
  const sentTo = (member: string) => wecom.sent.filter((m) => m.touser === member);

  return {
    wecom,
    openai,
    /** The running process (another one after `restart`). */
    get bot(): BotProcess {
      return bot;
    },
    get client(): WecomCallbackClient {
      return client();
    },
    /** A member's message as WeCom posts it to the callback (a MsgId of its own unless `fields` has one). */
    post: (member: string, msgType: string, fields: Record<string, string | number>) => client().post(memberMessage(CORP_ID, member, msgType, { MsgId: nextMsgId(), ...fields })),
    sentTo,
    textsTo: (member: string) => sentTo(member).map((m) => (m.text as { content: string } | undefined)?.content),
    /** Waits until `member` has received `count` messages through message/send in all. */
    async receive(member: string, count: number) {
      await expect.poll(() => sentTo(member).length, { timeout: 8000, interval: 20 }).toBeGreaterThanOrEqual(count);
      return sentTo(member).map((m) => (m.text as { content: string } | undefined)?.content);
    },
    /** Chat requests whose last message is `text`. */
    chatsAbout: (text: string) => openai.requestsTo('chat').filter((r) => (r.json.messages as ChatMessage[]).at(-1)?.content === text),
    /** Every secret the process knows or learned: none may appear in its log. */
    secrets: (): Record<string, string> => ({
      app_secret: String(wecomKeys.wechatcomapp_secret),
      token: String(wecomKeys.wechatcomapp_token),
      aes_key: String(wecomKeys.wechatcomapp_aes_key),
      api_key: API_KEY,
      admin_password: ADMIN_PASSWORD,
      ...Object.fromEntries(wecom.issuedTokens.map((t, i) => [`access_token_${i}`, t])),
    }),
    /** SIGKILL (a crash, an OOM kill): nothing is flushed. */
    crash: () => bot.kill(),
    /** `wecom-bot start` again in the same folder, on the same data_dir. */
    async restart() {
      bot = await startBot(config, options.startTimeoutMs, { dir: bot.dir });
    },
    async close() {
      await bot.stop();
      await Promise.all([wecom.close(), openai.close()]);
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** SIGTERM ends the process with 0, and its whole stderr, which saw the traffic, holds no secret. */
export async function expectCleanStopWithoutSecrets(stack: Stack): Promise<void> {
  expect(await stack.bot.stop()).toBe(0);
  const log = stack.bot.stderr();
  expect(log).toMatch(/"reason":"SIGTERM".*stopping/);
  expect(log).toMatch(/"outcome":"sent".*reply sent/);
  expect(stack.wecom.issuedTokens.length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(stack.secrets())) expect(log.includes(value), `${name} in the log`).toBe(false);
}
