import { ConfigError, coreConfigSection } from '@wecom-bot/core';
import { inspectConfig, validateConfig } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { checkWechatChatbot } from './check.js';
import { wechatChatbotConfigSection } from './config.js';

const sections = [coreConfigSection, wechatChatbotConfigSection];
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

describe('wechat_chatbot config', () => {
  it('has the documented defaults', () => {
    const { config } = validateConfig({ channel_type: 'wechat_chatbot', wechat_chatbot_token: 'tok123', wechat_chatbot_aes_key: KEY }, sections);
    expect(config).toMatchObject({
      wechat_chatbot_port: 9899,
      wechat_chatbot_api_base: 'https://chatbot.weixin.qq.com',
      wechat_chatbot_skill_path: '/wxchatbot/skill',
      wechat_chatbot_api_path: '/wxchatbot/api',
      wechat_chatbot_kefu_path: '/wxchatbot/kefu',
      wechat_chatbot_verify_signature: true,
      wechat_chatbot_encrypt: true,
      wechat_chatbot_reply_timeout: 2.5,
      wechat_chatbot_followup_keyword: '继续',
      wechat_chatbot_api_output_slot: 'answer',
    });
  });

  it('requires token and AES key only when the channel is in use, and names every problem', () => {
    expect(() => validateConfig({ channel_type: 'terminal' }, sections)).not.toThrow();
    try {
      validateConfig({ channel_type: 'wechat_chatbot', wechat_chatbot_aes_key: 'short', wechat_chatbot_kefu_path: '/wxchatbot/api' }, sections);
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('wechat_chatbot_token is required');
      expect(problems).toContain('wechat_chatbot_aes_key is 5 characters long; an EncodingAESKey has exactly 43');
      expect(problems).toContain('must differ');
    }
  });

  it('marks token and AES key as secrets', () => {
    const { secretValues } = validateConfig({ channel_type: 'wechat_chatbot', wechat_chatbot_token: 'tok123', wechat_chatbot_aes_key: KEY }, sections);
    expect(secretValues.sort()).toEqual([KEY, 'tok123'].sort());
  });

  it('check says which URL goes where, and warns about a missing APPID and a long timeout', () => {
    const { config } = validateConfig(
      { channel_type: 'wechat_chatbot', wechat_chatbot_token: 'tok123', wechat_chatbot_aes_key: KEY, wechat_chatbot_reply_timeout: 4 },
      sections,
    );
    const items = checkWechatChatbot(config);
    const text = items.map((i) => `${i.level}: ${i.message}`).join('\n');
    expect(text).toContain('https://<your-host>/wxchatbot/skill');
    expect(text).toContain('回调地址 = https://<your-host>/wxchatbot/kefu');
    expect(text).toContain('https://<your-host>/wxchatbot/api');
    expect(text).toMatch(/warn: wechat_chatbot_appid is empty/);
    expect(text).toMatch(/warn: wechat_chatbot_reply_timeout is 4s/);
    expect(items.some((i) => i.level === 'error')).toBe(false);
    expect(text).not.toContain('tok123');
  });

  it('a bad AES key is one error, from validation, saying what is wrong', () => {
    const inspected = inspectConfig({ path: '/nonexistent/config.json', sections, env: {}, whenMissing: { channel_type: 'wechat_chatbot', wechat_chatbot_aes_key: 'nope' } });
    expect(inspected.problems.filter((p) => p.includes('wechat_chatbot_aes_key'))).toEqual([expect.stringMatching(/is 4 characters long; an EncodingAESKey has exactly 43/)]);
    const items = checkWechatChatbot(inspected.config);
    expect(items.some((i) => i.message.includes('wechat_chatbot_aes_key'))).toBe(false);
  });
});
