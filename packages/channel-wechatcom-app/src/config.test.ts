import { ConfigError, coreConfigSection } from '@wecom-bot/core';
import { inspectConfig, validateConfig } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { checkWechatcomApp } from './check.js';
import { wechatcomAppConfigSection } from './config.js';
import { TEST_AES_KEY, testWecomConfig } from './testing/test-config.js';

const sections = [coreConfigSection, wechatcomAppConfigSection];

function problems(raw: Record<string, unknown>): string[] {
  try {
    validateConfig(raw, sections);
    return [];
  } catch (error) {
    return (error as ConfigError).message.split('\n');
  }
}

describe('wechatcomAppConfigSection', () => {
  it('fills defaults, reads a numeric agent id as text and marks the secrets', () => {
    const { config, secretValues } = validateConfig(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcomapp_port: undefined, wechatcomapp_host: undefined }), sections);
    expect(config).toMatchObject({ wechatcomapp_port: 9898, wechatcomapp_host: '0.0.0.0', wechatcomapp_path: '/wxcomapp', wechatcomapp_agent_id: '1000002', wechatcomapp_passive_reply_ms: 1000 });
    expect(secretValues.sort()).toEqual(['TestAppSecret-kJ81mZqL0pA7sV3nX9yB4cW6', 'TestToken8Hq2xZ', TEST_AES_KEY].sort());
  });

  it('names every missing key when channel_type is wechatcom_app, and none otherwise', () => {
    const found = problems({ channel_type: 'wechatcom_app' }).join('\n');
    for (const key of ['wechatcom_corp_id', 'wechatcomapp_token', 'wechatcomapp_secret', 'wechatcomapp_agent_id', 'wechatcomapp_aes_key']) {
      expect(found).toContain(`${key} is required`);
    }
    expect(problems({ channel_type: 'terminal' })).toEqual([]);
  });

  it('refuses an AES key that is not 43 base64 characters, saying what is wrong, without echoing it', () => {
    const bad = 'short-key-with-dash';
    const found = problems(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcomapp_aes_key: bad })).join('\n');
    expect(found).toMatch(/wechatcomapp_aes_key has "-" .* at position 6 of 19/);
    expect(found).not.toContain(bad);
    // 43 characters, one of them wrong: the message names it, and no "43-character … got 43" contradiction.
    const dashed = problems(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcomapp_aes_key: `${TEST_AES_KEY.slice(0, 42)}-` })).join();
    expect(dashed).toMatch(/has "-" .* at position 43 of 43/);
    expect(dashed).not.toMatch(/got 43 characters/);
    expect(problems(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcomapp_aes_key: TEST_AES_KEY.slice(0, 42) })).join()).toMatch(/is 42 characters long; an EncodingAESKey has exactly 43/);
  });

  it('refuses a corp id with a trailing space and a template placeholder, which pass every length check', () => {
    const spaced = problems(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcom_corp_id: 'ww0123456789abcdef ' })).join('\n');
    expect(spaced).toMatch(/wechatcom_corp_id has whitespace at its end: remove it/);
    const placeholder = problems(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcomapp_secret: 'YOUR_APP_SECRET', wechatcom_corp_id: '<corp id>' })).join('\n');
    expect(placeholder).toMatch(/wechatcomapp_secret still holds the template's placeholder: put the real value there/);
    expect(placeholder).toMatch(/wechatcom_corp_id still holds the template's placeholder \("<corp id>"\)/);
    // Reported once, not again as "required".
    expect(placeholder).not.toMatch(/wechatcomapp_secret is required/);
  });

  it('refuses a non-numeric agent id, a path without "/" and an API base that is not a URL', () => {
    const found = problems(testWecomConfig('qyapi.weixin.qq.com', { wechatcomapp_agent_id: 'abc', wechatcomapp_path: 'wxcomapp' })).join('\n');
    expect(found).toMatch(/agent_id must be the app's numeric AgentId/);
    expect(found).toMatch(/wechatcomapp_path must start with "\/"/);
    expect(found).toMatch(/wechatcomapp_api_base must be an http\(s\) URL/);
  });
});

describe('checkWechatcomApp', () => {
  it('is all ok for a good config and prints the callback URL to paste', () => {
    const { config } = validateConfig(testWecomConfig('https://qyapi.weixin.qq.com', { wechatcomapp_port: 9898 }), sections);
    const items = checkWechatcomApp(config);
    expect(items.filter((i) => i.level === 'error')).toEqual([]);
    expect(items.map((i) => i.message).join('\n')).toContain(":9898/wxcomapp");
    const all = JSON.stringify(items);
    expect(all).not.toContain(String(config.wechatcomapp_secret));
    expect(all).not.toContain(TEST_AES_KEY);
  });

  it('leaves missing and malformed keys to validation (no duplicate lines), and warns of a custom API base', () => {
    const raw = { channel_type: 'wechatcom_app', wechatcomapp_aes_key: 'k'.repeat(42), wechatcomapp_api_base: 'http://127.0.0.1:8080' };
    const { config, problems } = inspectConfig({ path: '/nonexistent/config.json', sections, env: {}, whenMissing: raw });
    const items = checkWechatcomApp(config);
    expect(items.filter((i) => i.level === 'error')).toEqual([]);
    expect(items.some((i) => i.message.startsWith('wechatcom_app keys set'))).toBe(false);
    expect(problems.some((m) => m.startsWith('wechatcom_corp_id is required'))).toBe(true);
    expect(problems.some((m) => m.startsWith('wechatcomapp_secret is required'))).toBe(true);
    expect(problems.some((m) => m.includes('is 42 characters long'))).toBe(true);
    expect(items.some((i) => i.level === 'warn' && i.message.includes('http://127.0.0.1:8080'))).toBe(true);
  });
});
