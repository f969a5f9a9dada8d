import { coreConfigSection } from '@wecom-bot/core';
import { inspectConfig } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { openaiConfigSection } from './config.js';

const sections = [coreConfigSection, openaiConfigSection];
const inspect = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => inspectConfig({ path: '/nonexistent/config.json', sections, env, whenMissing: raw });

/** chatgpt-on-wechat 2.0.8's config-template.json, with the DeepSeek key filled in as its README says. */
const COW_2_TEMPLATE = {
  channel_type: 'weixin', model: 'deepseek-v4-flash', deepseek_api_key: 'sk-deepseek-0123456789', deepseek_api_base: 'https://api.deepseek.com/v1',
  qianfan_api_key: '', qianfan_api_base: 'https://qianfan.baidubce.com/v2', minimax_api_key: '', zhipu_ai_api_key: '', ark_api_key: '', moonshot_api_key: '',
  dashscope_api_key: '', claude_api_key: '', claude_api_base: 'https://api.anthropic.com/v1', open_ai_api_key: '', open_ai_api_base: 'https://api.openai.com/v1',
  gemini_api_key: '', gemini_api_base: 'https://generativelanguage.googleapis.com', voice_to_text: 'openai', text_to_voice: 'openai', voice_reply_voice: false,
  speech_recognition: true, group_speech_recognition: false, use_linkai: false, linkai_api_key: '', linkai_app_code: '', feishu_app_id: '', feishu_app_secret: '',
  feishu_stream_reply: true, dingtalk_client_id: '', dingtalk_client_secret: '', wecom_bot_id: '', wecom_bot_secret: '', web_password: '', agent: true,
  agent_max_context_tokens: 50000, agent_max_context_turns: 20, agent_max_steps: 20, enable_thinking: false, knowledge: true,
};

describe("chatgpt-on-wechat 2.x's provider keys", () => {
  it('reads deepseek_api_key / deepseek_api_base as open_ai_api_key / open_ai_api_base, one warning each, not a wall of unknown keys', () => {
    const { config, warnings } = inspect({ ...COW_2_TEMPLATE, channel_type: 'terminal', bot_type: 'openai' });
    expect(config).toMatchObject({ open_ai_api_key: 'sk-deepseek-0123456789', open_ai_api_base: 'https://api.deepseek.com/v1', model: 'deepseek-v4-flash' });
    expect(warnings).toContain('deepseek_api_key (chatgpt-on-wechat 2.x) is read as open_ai_api_key');
    expect(warnings).toContain('deepseek_api_base (chatgpt-on-wechat 2.x) is read as open_ai_api_base');
    // Keys this package does not know (wecom_bot_*, plugins') are other sections' business; cow's own unused ones are one line.
    expect(warnings.filter((w) => w.includes('chatgpt-on-wechat setting'))).toEqual([expect.stringMatching(/^\d+ chatgpt-on-wechat settings that wecom-bot does not use, ignored: .*claude_api_key.*agent_max_steps/)]);
    expect(warnings.join('\n')).not.toMatch(/unknown key (deepseek|qianfan|minimax|ark|moonshot|dashscope|gemini|claude|agent|knowledge|enable_thinking|web_password|feishu)/);
  });

  it('picks the provider the model names when several keys are filled, and its own endpoint when no base is given', () => {
    const { config } = inspect({ bot_type: 'openai', channel_type: 'terminal', model: 'qwen-plus', deepseek_api_key: 'sk-d-0123456', dashscope_api_key: 'sk-q-0123456' });
    expect(config).toMatchObject({ open_ai_api_key: 'sk-q-0123456', open_ai_api_base: 'https://dashscope.aliyuncs.com/compatible-mode/v1' });
  });

  it('works from the environment (DEEPSEEK_API_KEY, as cow\'s docker-compose sets it) and never overrides our own keys', () => {
    const fromEnv = inspect({ bot_type: 'openai', channel_type: 'terminal' }, { DEEPSEEK_API_KEY: 'sk-env-0123456' });
    expect(fromEnv.config).toMatchObject({ open_ai_api_key: 'sk-env-0123456', open_ai_api_base: 'https://api.deepseek.com/v1' });
    expect(fromEnv.secretValues).toContain('sk-env-0123456');
    const ours = inspect({ bot_type: 'openai', channel_type: 'terminal', open_ai_api_key: 'sk-ours-0123456', deepseek_api_key: 'sk-d-0123456' });
    expect(ours.config).toMatchObject({ open_ai_api_key: 'sk-ours-0123456', open_ai_api_base: 'https://api.openai.com/v1' });
    const ownBase = inspect({ bot_type: 'openai', channel_type: 'terminal', open_ai_api_base: 'http://127.0.0.1:8000/v1', deepseek_api_key: 'sk-d-0123456' });
    expect(ownBase.config.open_ai_api_base).toBe('http://127.0.0.1:8000/v1');
  });
});
