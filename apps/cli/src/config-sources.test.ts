import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'wecom-bot-sources-'));

/** A WeCom app as cow's docker-compose / Railway users configure it: environment variables only. */
const WECOM_ENV = {
  CHANNEL_TYPE: 'wechatcom_app',
  WECHATCOM_CORP_ID: 'ww0123456789abcdef',
  WECHATCOMAPP_TOKEN: 'token0123456789',
  WECHATCOMAPP_SECRET: 'secret-0123456789abcdef',
  WECHATCOMAPP_AGENT_ID: '1000002',
  WECHATCOMAPP_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECHATCOMAPP_HOST: '127.0.0.1',
  WECHATCOMAPP_PORT: '0',
};

describe('configured by the environment alone (no config.json)', () => {
  it('check applies the real defaults (bot openai): not "Ready to start" without OPEN_AI_API_KEY, and no demo', async () => {
    const run = await runCli(['check'], { cwd: tmp(), env: WECOM_ENV });
    expect(run.stdout).toMatch(/wecom-bot check: channel wechatcom_app, bot openai/);
    expect(run.stdout).toMatch(/✗ open_ai_api_key is required/);
    expect(run.stdout).not.toMatch(/Ready to start|demo/);
    expect(run.code).toBe(1);
  });

  it('start runs the openai bot, not the echo demo, and never says "running the demo"', async () => {
    const run = await runCli(['start'], { cwd: tmp(), env: { ...WECOM_ENV, LOG_LEVEL: 'info' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/open_ai_api_key is required/);
    expect(run.stderr).not.toMatch(/demo/);
  });
});

describe('nothing configured', () => {
  it('with no terminal (a container), start exits 1 at once, naming what to set', async () => {
    const started = Date.now();
    const run = await runCli(['start'], { cwd: tmp(), env: { PORT: '8080', LOG_LEVEL: 'info' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing is configured: there is no config file at .*config\.json and no setting in the environment/);
    expect(run.stderr).toMatch(/CHANNEL_TYPE/);
    expect(run.stderr).toMatch(/wechatcom_corp_id is required/);
    expect(run.stderr).not.toMatch(/running the demo/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const check = await runCli(['check'], { cwd: tmp() });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/✗ nothing is configured/);
  }, 60_000);

  // On a terminal the demo runs: cli.test.ts ("with nothing configured, on a terminal, runs the demo").
});

describe('wecom-bot init', () => {
  it('into a folder that does not exist exits 1 with what to do, not 70 with a stack', async () => {
    const run = await runCli(['init', '--config', 'missing/dir/config.json'], { cwd: tmp() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot write missing\/dir\/config\.json: the folder missing\/dir does not exist: create it first \(mkdir -p missing\/dir\)/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('PORT, the PaaS convention', () => {
  it("sets the channel's port when wechatcomapp_port is not set", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ bot_type: 'echo', voice_to_text: '', text_to_voice: '' }));
    const { WECHATCOMAPP_PORT: _port, CHANNEL_TYPE: _type, ...env } = WECOM_ENV;
    const run = await runCli(['check'], { cwd: dir, env: { ...env, PORT: '18080' } });
    expect(run.stdout).toMatch(/callback URL .*:18080\/wxcomapp/);
    expect(run.code).toBe(0);
  });
});

/** chatgpt-on-wechat 1.7.6's config-template.json, as people copy it (channel_type set to ours). */
const COW_176_TEMPLATE = {
  channel_type: 'wechatcom_app', model: '', open_ai_api_key: 'YOUR API KEY', claude_api_key: 'YOUR API KEY', text_to_image: 'dall-e-2', voice_to_text: 'openai',
  text_to_voice: 'openai', proxy: '', hot_reload: false, single_chat_prefix: ['bot', '@bot'], single_chat_reply_prefix: '[bot] ', group_chat_prefix: ['@bot'],
  group_name_white_list: ['ChatGPT测试群', 'ChatGPT测试群2'], image_create_prefix: ['画'], speech_recognition: true, group_speech_recognition: false,
  voice_reply_voice: false, conversation_max_tokens: 2500, expires_in_seconds: 3600, character_desc: '你是基于大语言模型的AI智能助手。', temperature: 0.7,
  subscribe_msg: '感谢您的关注！', use_linkai: false, linkai_api_key: '', linkai_app_code: '',
};

describe("chatgpt-on-wechat 1.7.6's template", () => {
  it('check flags the placeholder API key and a corp id with a trailing space (which WeCom would refuse with -40005)', async () => {
    const dir = tmp();
    const { CHANNEL_TYPE: _type, WECHATCOMAPP_PORT: _port, WECHATCOM_CORP_ID: _corp, ...keys } = WECOM_ENV;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...COW_176_TEMPLATE, wechatcom_corp_id: 'ww0123456789abcdef ' }));
    const run = await runCli(['check'], { cwd: dir, env: keys });
    expect(run.stdout).toMatch(/✗ open_ai_api_key still holds the template's placeholder: put the real value there/);
    expect(run.stdout).toMatch(/✗ wechatcom_corp_id has whitespace at its end: remove it/);
    expect(run.stdout).not.toMatch(/Ready to start/);
    expect(run.code).toBe(1);
  });

  it('"model": "" asks for the default model, not an empty one', async () => {
    const openai = await startFakeOpenAI();
    try {
      const dir = tmp();
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'openai', model: '', open_ai_api_base: openai.baseURL, log_level: 'warn' }));
      const run = await runCli(['start'], { cwd: dir, input: 'hi\n' });
      expect(run.stdout).toBe('Bot: echo: hi\n');
      expect(openai.requestsTo('chat')[0]?.json.model).toBe('gpt-4o-mini');
    } finally {
      await openai.close();
    }
  });
});

describe('ffmpeg in check', () => {
  it('a configured ffmpeg_path that does not exist is an error, with no silent fallback to another binary', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo', ffmpeg_path: '/nonexistent/ffmpeg' }));
    const run = await runCli(['check'], { cwd: dir });
    expect(run.stdout).toMatch(/✗ ffmpeg_path names \/nonexistent\/ffmpeg \(from ffmpeg_path\), which cannot be run \(not found\): .*no other ffmpeg is tried/);
    expect(run.code).toBe(1);
    // Left empty, check names the binary voice will really run, with its version.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ channel_type: 'terminal', bot_type: 'echo' }));
    expect((await runCli(['check'], { cwd: dir })).stdout).toMatch(/✓ voice uses ffmpeg \/\S+ \(ffmpeg \S+ of \d{4}, from \S+\), which has an AMR-NB encoder/);
  }, 60_000);
});
