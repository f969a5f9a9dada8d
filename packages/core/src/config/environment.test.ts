import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreConfigSection } from './core-section.js';
import { inspectConfig } from './load.js';
import { defineConfigSection } from './section.js';

/** Two channel-like sections: one always serves a port, one only in its webhook mode. */
const appChannel = defineConfigSection({
  title: 'app channel',
  shape: { app_port: z.number().int().default(9898), app_corp_id: z.string().default(''), app_token: z.string().default('') },
  secrets: ['app_token'],
  required: ['app_corp_id'],
  activeWhen: (c) => c.channel_type === 'app',
  portKey: () => 'app_port',
});
const botChannel = defineConfigSection({
  title: 'bot channel',
  shape: { bot_mode: z.enum(['ws', 'webhook']).default('ws'), bot_port: z.number().int().default(9897) },
  activeWhen: (c) => c.channel_type === 'bot',
  portKey: (c) => (c.bot_mode === 'webhook' ? 'bot_port' : undefined),
});
const sections = [coreConfigSection, appChannel, botChannel];
const inspect = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => inspectConfig({ path: '/nonexistent/config.json', sections, env, whenMissing: raw });

describe('PORT, the PaaS convention', () => {
  it("sets the active channel's port when its own key is not set", () => {
    const { config, fromEnvironment } = inspect({ channel_type: 'app', app_corp_id: 'ww1' }, { PORT: '8080' });
    expect(config.app_port).toBe(8080);
    expect(fromEnvironment.get('app_port')).toBe('PORT');
    expect(config.bot_port).toBe(9897); // not the channel in use
  });

  it('gives way to config.json and to the key\'s own variable', () => {
    expect(inspect({ channel_type: 'app', app_port: 7000 }, { PORT: '8080' }).config.app_port).toBe(7000);
    expect(inspect({ channel_type: 'app' }, { PORT: '8080', APP_PORT: '7001' }).config.app_port).toBe(7001);
  });

  it("follows the mode that runs a server, and says so when none does", () => {
    expect(inspect({ channel_type: 'bot', bot_mode: 'webhook' }, { PORT: '8080' }).config.bot_port).toBe(8080);
    const ws = inspect({ channel_type: 'bot' }, { PORT: '8080' });
    expect(ws.config.bot_port).toBe(9897);
    expect(ws.warnings.join('\n')).toMatch(/PORT is set, but channel_type "bot" runs no server in this mode; ignored/);
  });

  it('a PORT that is not a number is a problem naming PORT', () => {
    expect(inspect({ channel_type: 'app', app_corp_id: 'ww1' }, { PORT: 'eighty' }).problems.join()).toMatch(/app_port .*\(set by the environment variable PORT\)/);
  });
});

describe('values copied from a console', () => {
  it('a placeholder or stray whitespace in a secret or required key is one problem; the secret is not echoed', () => {
    const { problems } = inspect({ channel_type: 'app', app_corp_id: ' ww1', app_token: 'YOUR TOKEN' });
    expect(problems).toEqual(['app_token still holds the template\'s placeholder: put the real value there', 'app_corp_id has whitespace at its start: remove it (the value must be copied exactly)']);
  });

  it('leaves free text alone (a reply prefix may end in a space) and sections not in use', () => {
    expect(inspect({ channel_type: 'bot', app_corp_id: 'YOUR_CORP_ID ', character_desc: ' 你好 ' }).problems).toEqual([]);
  });
});

describe('model', () => {
  it('"" (chatgpt-on-wechat 1.7.6\'s template) means the default model', () => {
    expect(inspect({ channel_type: 'bot', model: '' }).config.model).toBe('gpt-4o-mini');
    expect(inspect({ channel_type: 'bot', model: 'qwen-plus' }).config.model).toBe('qwen-plus');
  });
});

describe('fromEnvironment', () => {
  it('names the keys the environment set, aliases included', () => {
    const { fromEnvironment } = inspect({}, { CHANNEL_TYPE: 'app', APP_CORP_ID: 'ww1' });
    expect([...fromEnvironment.keys()].sort()).toEqual(['app_corp_id', 'channel_type']);
  });
});
