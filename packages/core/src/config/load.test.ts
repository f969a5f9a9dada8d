import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { coreConfigSection } from './core-section.js';
import { ConfigError } from './errors.js';
import { inspectConfig, loadConfig } from './load.js';
import { defineConfigSection } from './section.js';

/** A channel-like section, shaped as a real channel package declares its keys. */
const demoChannel = defineConfigSection({
  title: 'wechatcom_app channel',
  shape: {
    wechatcom_corp_id: z.string().default('').describe('Your corp id.'),
    wechatcomapp_token: z.string().default('').describe('Token from the API receive settings.'),
    wechatcomapp_port: z.number().int().min(1).max(65535).default(9898).describe('Port.'),
    single_chat_prefix: z.array(z.string()).default([]).describe('Prefixes.'),
    speech_recognition: z.boolean().default(true).describe('Transcribe voice.'),
    wechatcomapp_agent_id: z.union([z.number().int(), z.string()]).default('').describe('AgentId.'),
  },
  secrets: ['wechatcomapp_token'],
  required: ['wechatcom_corp_id', 'wechatcomapp_token'],
  activeWhen: (c) => c.channel_type === 'wechatcom_app',
});
const sections = [coreConfigSection, demoChannel];

function writeConfig(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-config-'));
  const path = join(dir, 'config.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const load = (content: unknown, env: NodeJS.ProcessEnv = {}) => loadConfig({ path: writeConfig(content), sections, env });

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('fills defaults for keys the file leaves out', () => {
    const { config } = load({ channel_type: 'terminal', bot_type: 'echo' });
    expect(config.model).toBe('gpt-4o-mini');
    expect(config.wechatcomapp_port).toBe(9898);
    expect(config.conversation_max_tokens).toBe(2500);
  });

  it('names every problem at once: missing keys of the active channel and wrong types', () => {
    const problems = problemsOf(() => load({ channel_type: 'wechatcom_app', wechatcomapp_port: '9898x', conversation_max_tokens: 'lots' }));
    expect(problems).toHaveLength(4);
    expect(problems).toContain('wechatcomapp_port must be a number, got string');
    expect(problems).toContain('conversation_max_tokens must be a number, got string');
    expect(problems.join('\n')).toMatch(/wechatcom_corp_id is required for the wechatcom_app channel: Your corp id\./);
    expect(problems.join('\n')).toMatch(/wechatcomapp_token is required for the wechatcom_app channel/);
  });

  it('does not require the keys of a channel that is not in use', () => {
    expect(() => load({ channel_type: 'terminal', bot_type: 'echo' })).not.toThrow();
  });

  it('warns about unknown keys, suggesting the near miss', () => {
    const { warnings } = load({ channel_type: 'terminal', bot_type: 'echo', wechatcomapp_prot: 1, totally_new: true });
    expect(warnings).toContain('unknown key wechatcomapp_prot (did you mean wechatcomapp_port?); ignored');
    expect(warnings).toContain('unknown key totally_new; ignored');
  });

  it('lets an upper-cased environment variable override each key, typed by the key', () => {
    const { config } = load(
      { channel_type: 'wechatcom_app', wechatcom_corp_id: 'from-file', wechatcomapp_token: 'file-token' },
      { WECHATCOM_CORP_ID: '0123456', WECHATCOMAPP_PORT: '8080', SINGLE_CHAT_PREFIX: '["bot","@bot"]', WECHATCOMAPP_TOKEN: 'env-token' },
    );
    // A numeric-looking id stays text (leading zero kept); the port becomes a number.
    expect(config.wechatcom_corp_id).toBe('0123456');
    expect(config.wechatcomapp_port).toBe(8080);
    expect(config.single_chat_prefix).toEqual(['bot', '@bot']);
    expect(config.wechatcomapp_token).toBe('env-token');
  });

  it('reports a wrong environment value like a wrong file value', () => {
    const problems = problemsOf(() => load({ channel_type: 'terminal', bot_type: 'echo' }, { WECHATCOMAPP_PORT: 'eighty' }));
    expect(problems).toEqual(['wechatcomapp_port must be a number, got string (set by the environment variable WECHATCOMAPP_PORT)']);
  });

  it('names the environment variable when it blanks a required key (config.json alone looks right)', () => {
    const problems = problemsOf(() => load({ channel_type: 'wechatcom_app', wechatcom_corp_id: 'ww1', wechatcomapp_token: 'file-token' }, { WECHATCOMAPP_TOKEN: '' }));
    expect(problems).toEqual([expect.stringMatching(/^wechatcomapp_token is required .*\(set by the environment variable WECHATCOMAPP_TOKEN\)$/)]);
  });

  it('ignores an empty variable on a number, boolean or list key (docker-compose passes unset ones as ""), with a warning', () => {
    const { config, warnings } = load({ channel_type: 'terminal', bot_type: 'echo', wechatcomapp_port: 8443 }, { WECHATCOMAPP_PORT: '', SINGLE_CHAT_PREFIX: '' });
    expect(config.wechatcomapp_port).toBe(8443);
    expect(config.single_chat_prefix).toEqual([]);
    expect(warnings).toContain('the environment variable WECHATCOMAPP_PORT is empty; ignored, wechatcomapp_port keeps its config.json or default value');
  });

  it("reads chatgpt-on-wechat's True/False for booleans, and keeps an AgentId that takes number or string as given", () => {
    const { config } = load({ channel_type: 'terminal', bot_type: 'echo' }, { SPEECH_RECOGNITION: 'False', WECHATCOMAPP_AGENT_ID: '1000002' });
    expect(config.speech_recognition).toBe(false);
    expect(config.wechatcomapp_agent_id).toBe('1000002');
    expect(load({ channel_type: 'terminal', bot_type: 'echo' }, { SPEECH_RECOGNITION: 'TRUE' }).config.speech_recognition).toBe(true);
  });

  it("reads a section's legacy layout and its environment aliases (below the key's own variable)", () => {
    const legacy = defineConfigSection({
      title: 'legacy demo',
      shape: { demo_token: z.string().default('').describe('A token.') },
      envAliases: { OLD_TOKEN: 'demo_token' },
      legacyLayout: (raw) => (typeof raw.old === 'object' && raw.old !== null ? { config: { channel_type: 'terminal', bot_type: 'echo', ...raw.old }, name: 'old-tool' } : undefined),
    });
    const path = writeConfig({ old: { demo_token: 'from-old-layout' } });
    const fromLayout = loadConfig({ path, sections: [coreConfigSection, legacy], env: {} });
    expect(fromLayout.config.demo_token).toBe('from-old-layout');
    expect(fromLayout.warnings[0]).toMatch(/read the old-tool layout of .* as channel_type "terminal"/);
    expect(loadConfig({ path, sections: [coreConfigSection, legacy], env: { OLD_TOKEN: 'alias' } }).config.demo_token).toBe('alias');
    expect(loadConfig({ path, sections: [coreConfigSection, legacy], env: { OLD_TOKEN: 'alias', DEMO_TOKEN: 'own' } }).config.demo_token).toBe('own');
  });

  it('gives a typed view of a validated section, and refuses one the config was not validated with', () => {
    const { config } = load({ channel_type: 'terminal', bot_type: 'echo', wechatcomapp_port: 8443 });
    expect(demoChannel.read(config).wechatcomapp_port).toBe(8443);
    expect(coreConfigSection.read(config).conversation_max_tokens).toBe(2500);
    const other = defineConfigSection({ title: 'unlisted', shape: { x: z.string().default('') } });
    expect(() => other.read(config)).toThrow(/not validated with the unlisted section/);
  });

  it('collects secret values so the logger can mask them', () => {
    const { secretValues } = load({ channel_type: 'wechatcom_app', wechatcom_corp_id: 'ww1', wechatcomapp_token: 'my-token-123' });
    expect(secretValues).toEqual(['my-token-123']);
  });

  it('explains broken JSON and a non-object top level', () => {
    expect(problemsOf(() => load('{ "channel_type": "terminal", }'))[0]).toMatch(/is not valid JSON/);
    expect(problemsOf(() => load('[1,2]'))[0]).toMatch(/top level must be a JSON object/);
  });

  it('says a config path that cannot be read (a folder) is a config problem, not a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-dir-'));
    expect(problemsOf(() => loadConfig({ path: dir, sections, env: {} }))[0]).toMatch(/cannot be read \(EISDIR\)/);
  });

  it('uses the fallback when the file is missing, and fails when it was asked for explicitly', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'wecom-bot-none-')), 'config.json');
    const demo = loadConfig({ path, sections, env: {}, whenMissing: { channel_type: 'terminal', bot_type: 'echo' } });
    expect(demo.fromFile).toBe(false);
    expect(demo.config.channel_type).toBe('terminal');
    expect(problemsOf(() => loadConfig({ path, sections, env: {}, mustExist: true }))[0]).toMatch(/file not found.*wecom-bot init/);
  });

  it('inspectConfig returns the problems instead of throwing', () => {
    const result = inspectConfig({ path: writeConfig({ channel_type: 'wechatcom_app' }), sections, env: {} });
    expect(result.problems).toHaveLength(2);
    expect(result.config.channel_type).toBe('wechatcom_app');
  });
});
