import { coreConfigSection, type AppConfig } from '@wecom-bot/core';
import { inspectConfig } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { checkOpenAI as checkValidated } from './check.js';
import { openaiConfigProblems, openaiConfigSection } from './config.js';

/** `check` sees the config as start-up does: validated, defaults filled, problems reported apart. */
const checkOpenAI = (raw: AppConfig) => checkValidated(inspectConfig({ path: '/nonexistent/config.json', sections: [coreConfigSection, openaiConfigSection], env: {}, whenMissing: raw }).config);

const KEY = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

describe('checkOpenAI', () => {
  it('says the key is configured without printing any of it', () => {
    const items = checkOpenAI({ bot_type: 'openai', open_ai_api_key: KEY, open_ai_api_base: 'https://api.openai.com/v1' });
    expect(items.every((i) => i.level === 'ok')).toBe(true);
    const text = items.map((i) => i.message).join('\n');
    expect(text).toContain('API key is configured');
    expect(text).toContain('https://api.openai.com/v1 (official)');
    for (const part of [KEY, KEY.slice(0, 8), KEY.slice(-6)]) expect(text).not.toContain(part);
  });

  it('leaves a missing key for the official API to config validation (no duplicate line), warns for a compatible server', () => {
    const withoutKey = checkOpenAI({ bot_type: 'openai', open_ai_api_key: '' });
    expect(withoutKey.map((i) => i.level)).not.toContain('error');
    expect(withoutKey.map((i) => i.message).join('\n')).not.toContain('API key is configured');
    expect(openaiConfigProblems({ bot_type: 'openai', open_ai_api_key: '', open_ai_api_base: 'https://api.openai.com/v1' }).join('\n')).toContain('open_ai_api_key is required');
    expect(checkOpenAI({ bot_type: 'openai', open_ai_api_base: 'http://localhost:11434/v1' })[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('Ollama') });
  });

  it('warns, not fails, when only voice uses OpenAI; says nothing when OpenAI is unused', () => {
    expect(checkOpenAI({ bot_type: 'echo', voice_to_text: 'openai', text_to_voice: '' })[0]!.level).toBe('warn');
    expect(checkOpenAI({ bot_type: 'echo', voice_to_text: '', text_to_voice: '' })).toEqual([]);
  });

  it('hides proxy credentials and warns of a key sent over plain http', () => {
    const text = checkOpenAI({ bot_type: 'openai', open_ai_api_key: KEY, open_ai_api_base: 'http://10.0.0.5:8000/v1', proxy: 'http://user:pa55word@proxy.lan:3128' })
      .map((i) => `${i.level} ${i.message}`)
      .join('\n');
    expect(text).toContain('proxy http://***@proxy.lan:3128');
    expect(text).not.toContain('pa55word');
    expect(text).toMatch(/warn .*unencrypted/);
  });

  it('warns when retries can outlast the pipeline reply timeout', () => {
    const items = checkOpenAI({ bot_type: 'openai', open_ai_api_key: KEY, request_timeout: 60, max_retries: 2, reply_timeout_seconds: 120 });
    expect(items.at(-1)).toMatchObject({ level: 'warn', message: expect.stringContaining('180 s exceeds reply_timeout_seconds') });
  });
});
