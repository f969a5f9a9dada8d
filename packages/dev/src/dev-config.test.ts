import { openaiIntegration } from '@wecom-bot/bot-openai';
import { wechatcomAppIntegration } from '@wecom-bot/channel-wechatcom-app';
import { wecomBotIntegration } from '@wecom-bot/channel-wecom-bot';
import { ConfigError, type AppConfig } from '@wecom-bot/core';
import { coreIntegration, inspectConfig, integrationSections } from '@wecom-bot/core/runtime';
import { pluginsIntegration } from '@wecom-bot/plugins';
import { describe, expect, it } from 'vitest';
import { devConfigs, makeDevSecrets } from './dev-config.js';

const integrations = [coreIntegration, wechatcomAppIntegration, wecomBotIntegration, openaiIntegration, pluginsIntegration];
const standIns = { wecomApiBase: 'http://127.0.0.1:1', aibotWsUrl: 'ws://127.0.0.1:2' };

/** `raw` loaded as the CLI loads config.json (defaults applied, problems listed), then made into the two dev configs. */
function configs(raw: AppConfig) {
  const loaded = inspectConfig({ path: '/nonexistent/config.json', sections: integrationSections(integrations), whenMissing: raw, env: {} });
  return devConfigs(loaded.config, loaded.problems, integrations, standIns, makeDevSecrets());
}

describe('devConfigs', () => {
  it('without a key for OpenAI, the echo bot answers and voice goes to it as voice; the page says why', () => {
    const { app, group, notes } = configs({});
    for (const config of [app, group]) expect(config).toMatchObject({ bot_type: 'echo', voice_to_text: '', text_to_voice: '' });
    expect(notes).toEqual([expect.stringContaining('No open_ai_api_key')]);
  });

  it('keeps the OpenAI bot when a key is set, or when the API base needs none (Ollama)', () => {
    expect(configs({ open_ai_api_key: 'sk-test-1234567890' }).app.bot_type).toBe('openai');
    expect(configs({ open_ai_api_base: 'http://localhost:11434/v1' }).group.bot_type).toBe('openai');
  });

  it("points each side's channel at its stand-in and keeps the user's other settings", () => {
    const { app, group } = configs({ channel_type: 'wechatcom_app', wechatcom_corp_id: 'wwREAL', wechatcomapp_reply_format: 'markdown', single_chat_prefix: ['bot'], wecom_bot_name: '大黄' });
    expect(app).toMatchObject({ channel_type: 'wechatcom_app', wechatcomapp_api_base: standIns.wecomApiBase, wechatcomapp_host: '127.0.0.1', wechatcomapp_port: 0, wechatcomapp_reply_format: 'markdown', single_chat_prefix: ['bot'] });
    expect(app.wechatcom_corp_id).not.toBe('wwREAL');
    expect(group).toMatchObject({ channel_type: 'wecom_bot', wecom_bot_mode: 'websocket', wecom_bot_ws_url: standIns.aibotWsUrl, wecom_bot_name: '大黄', single_chat_prefix: ['bot'] });
  });

  it("ignores problems with the keys it replaces (a half-filled app config), but not the user's others", () => {
    expect(() => configs({ channel_type: 'wechatcom_app', wechatcomapp_aes_key: 'too-short' })).not.toThrow();
    expect(() => configs({ channel_type: 'terminal', temperature: 7 })).toThrow(ConfigError);
    expect(() => configs({ temperature: 7 })).toThrow(/temperature/);
  });

  it('makes fresh secrets each run, an EncodingAESKey of the right shape among them', () => {
    const [a, b] = [makeDevSecrets(), makeDevSecrets()];
    expect(a.aesKey).toMatch(/^[A-Za-z0-9+/]{43}$/);
    expect(a.token).not.toBe(b.token);
  });
});
