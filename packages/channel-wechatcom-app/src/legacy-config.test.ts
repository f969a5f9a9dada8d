import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreConfigSection, type AppConfig } from '@wecom-bot/core';
import { inspectConfig } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { wechatcomAppConfigSection } from './config.js';
import { TEST_AES_KEY } from './testing/test-config.js';

const sections = [coreConfigSection, wechatcomAppConfigSection];

/** Loads `content` as config.json through the real loader, with `env` as the environment. */
function load(content: AppConfig, env: NodeJS.ProcessEnv = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'wecom-bot-legacy-')), 'config.json');
  writeFileSync(path, JSON.stringify(content));
  return inspectConfig({ path, sections, env });
}

describe('legacy layouts of the WeCom tools wecom-bot replaces', () => {
  it('reads the weworktop layout as the wechatcom_app channel', () => {
    const { config, warnings, problems } = load({
      services: {
        channel_type: 'weworktop',
        weworktop: { corp_id: 'ww123', corp_secret: 's3cr3t-value', agent_id: 1000002, port: 9001, token: 'tokWeworktop', aes_key: TEST_AES_KEY, single_chat_prefix: ['ai'] },
      },
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      channel_type: 'wechatcom_app',
      wechatcom_corp_id: 'ww123',
      wechatcomapp_secret: 's3cr3t-value',
      wechatcomapp_agent_id: '1000002',
      wechatcomapp_token: 'tokWeworktop',
      wechatcomapp_port: 9001,
      // weworktop's own path: the URL saved in the admin console keeps working.
      wechatcomapp_path: '/wework_callback',
    });
    expect(warnings[0]).toMatch(/read the weworktop layout of .* as channel_type "wechatcom_app"/);
    // Keys of other packages keep their names (single_chat_prefix is the plugins'; not listed here).
    expect(warnings).toContain('unknown key single_chat_prefix; ignored');
  });

  it('names a services block that is not weworktop as such, and flattens it', () => {
    const { config, warnings } = load({ services: { channel_type: 'terminal', bot_type: 'echo', model: 'gpt-4.1' } });
    expect(config).toMatchObject({ channel_type: 'terminal', model: 'gpt-4.1' });
    expect(warnings[0]).toMatch(/read the "services" layout/);
  });

  it("honours wecom-app-svr's WECOM_APP_* variables, below our own names", () => {
    const { config } = load({ channel_type: 'wechatcom_app' }, { WECOM_APP_CORP_ID: 'ww-svr', WECOM_APP_TOKEN: 'svr-token', WECHATCOMAPP_TOKEN: 'ours-wins' });
    expect(config.wechatcom_corp_id).toBe('ww-svr');
    expect(config.wechatcomapp_token).toBe('ours-wins');
  });
});
