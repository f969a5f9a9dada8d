import { defineConfigSection, type SectionConfig } from '@wecom-bot/core';
import { describeAesKeyProblem } from '@wecom-bot/wx-crypto';
import { z } from 'zod';

const path = (fallback: string) =>
  z
    .string()
    .regex(/^\/[^\s?#]*$/, 'must start with "/" and hold no spaces, "?" or "#"')
    .default(fallback);

/** The dialogue platform's keys (微信对话开放平台), read when channel_type is "wechat_chatbot". */
export const wechatChatbotConfigSection = defineConfigSection({
  title: 'wechat_chatbot channel',
  shape: {
    wechat_chatbot_token: z.string().default('').describe('TOKEN of the bot (platform console → 应用绑定 → 开放API). Signs skill requests; names the sendmsg URL.'),
    wechat_chatbot_aes_key: z.string().default('').describe('EncodingAESKey of the bot (43 characters), for the encrypted bodies of all three modes.'),
    wechat_chatbot_appid: z.string().default('').describe('APPID of the bot: the receive id inside customer-service ciphertexts.'),
    wechat_chatbot_host: z.string().default('0.0.0.0').describe('Address the server listens on.'),
    wechat_chatbot_port: z.number().int().min(0).max(65535).default(9899).describe('Port of the server that serves all three modes.'),
    wechat_chatbot_api_base: z.string().url().default('https://chatbot.weixin.qq.com').describe('Platform base URL for openapi/sendmsg (older: https://openai.weixin.qq.com).'),
    wechat_chatbot_skill_path: path('/wxchatbot/skill').describe('Path of mode 1, skill reply by API (接口调用).'),
    wechat_chatbot_api_path: path('/wxchatbot/api').describe('Path of mode 2, the legacy third-party service API (GET).'),
    wechat_chatbot_kefu_path: path('/wxchatbot/kefu').describe('Path of mode 3, the third-party customer-service callback.'),
    wechat_chatbot_verify_signature: z.boolean().default(true).describe('Check the MD5 Signature of skill requests (mode 1).'),
    wechat_chatbot_encrypt: z.boolean().default(true).describe('Skill request and response bodies are AES-encrypted (mode 1), as the platform does by default.'),
    wechat_chatbot_reply_timeout: z.number().positive().max(30).default(2.5).describe('Seconds a synchronous request (modes 1 and 2) waits for the bot before the placeholder is answered.'),
    wechat_chatbot_placeholder: z.string().min(1).default('正在思考中，请稍后发送「继续」获取回答').describe('Answer given when the bot is not done in time; the answer follows on the next request.'),
    wechat_chatbot_followup_keyword: z.string().min(1).default('继续').describe('Message that fetches a finished answer without asking the bot anything new.'),
    wechat_chatbot_api_output_slot: z.string().min(1).default('answer').describe('Output slot the legacy API (mode 2) fills with the answer.'),
    wechat_chatbot_api_input_slot: z.string().default('').describe('Query parameter holding the user text in mode 2; empty = the values of all parameters, space-joined.'),
    wechat_chatbot_api_key: z
      .string()
      .default('')
      .describe(
        'Mode 2 has no signature of its own: when set, a request must carry `key=<this value>` in its query (put it in the URL you enter in the console). Empty: no check, so the server listens on 127.0.0.1 only (unless wechat_chatbot_api_public) and admin commands are refused in mode 2.',
      ),
    wechat_chatbot_api_public: z
      .boolean()
      .default(false)
      .describe('Let the server listen on wechat_chatbot_host although wechat_chatbot_api_key is empty: anyone who finds the mode 2 URL can then chat as any user (never as an admin).'),
  },
  secrets: ['wechat_chatbot_token', 'wechat_chatbot_aes_key', 'wechat_chatbot_api_key'],
  required: ['wechat_chatbot_token', 'wechat_chatbot_aes_key'],
  activeWhen: (c) => c.channel_type === 'wechat_chatbot',
  portKey: () => 'wechat_chatbot_port',
  check: (c) => {
    const problems: string[] = [];
    const aesKey = describeAesKeyProblem('wechat_chatbot_aes_key', c.wechat_chatbot_aes_key);
    if (aesKey) problems.push(`${aesKey} (platform console → 应用绑定 → 开放API)`);
    const paths = [c.wechat_chatbot_skill_path, c.wechat_chatbot_api_path, c.wechat_chatbot_kefu_path];
    if (new Set(paths).size !== paths.length) {
      problems.push('wechat_chatbot_skill_path, wechat_chatbot_api_path and wechat_chatbot_kefu_path must differ: each mode needs its own path');
    }
    return problems;
  },
});

export type WechatChatbotConfig = SectionConfig<typeof wechatChatbotConfigSection>;
