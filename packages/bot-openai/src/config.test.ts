import { coreConfigSection, ConfigError } from '@wecom-bot/core';
import { validateConfig } from '@wecom-bot/core/runtime';
import { describe, expect, it } from 'vitest';
import { openaiConfigSection } from './config.js';

const sections = [coreConfigSection, openaiConfigSection];

describe('openaiConfigSection', () => {
  it('fills chatgpt-on-wechat defaults and marks the key secret', () => {
    const { config, secretValues } = validateConfig({ bot_type: 'openai', open_ai_api_key: 'sk-abcdef123' }, sections);
    expect(config).toMatchObject({ open_ai_api_base: 'https://api.openai.com/v1', text_to_image: 'dall-e-3', voice_to_text_model: 'whisper-1', text_to_voice_model: 'tts-1', tts_voice_id: 'alloy', rate_limit_chatgpt: 20, max_retries: 2 });
    expect(secretValues).toContain('sk-abcdef123');
  });

  it('needs no key for the echo bot, nor for a compatible server such as Ollama', () => {
    expect(() => validateConfig({ bot_type: 'echo' }, sections)).not.toThrow();
    expect(() => validateConfig({ bot_type: 'openai', open_ai_api_base: 'http://localhost:11434/v1' }, sections)).not.toThrow();
  });

  it('names the missing key and every bad value in one error', () => {
    let error: unknown;
    try {
      validateConfig({ bot_type: 'openai', proxy: 'socks5://x', temperature: 3 }, sections);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = String((error as Error).message);
    expect(text).toContain('open_ai_api_key is required');
    expect(text).toContain('proxy');
    expect(text).toContain('temperature');
  });
});
