import { coreConfigSection, type AppConfig, type CheckItem } from '@wecom-bot/core';
import { validateConfig } from '@wecom-bot/core/runtime';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOpenAILive } from './check-live.js';
import { openaiConfigSection } from './config.js';
import { startFakeOpenAI, type FakeOpenAI } from './testing/fake-openai.js';

const KEY = 'sk-live-check-0123456789abcdefghijklmnop';
const fakes: FakeOpenAI[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
});

async function fake(options: Parameters<typeof startFakeOpenAI>[0] = {}): Promise<FakeOpenAI> {
  const started = await startFakeOpenAI({ apiKey: KEY, ...options });
  fakes.push(started);
  return started;
}

async function live(raw: AppConfig): Promise<CheckItem[]> {
  const { config } = validateConfig({ bot_type: 'openai', voice_to_text: '', text_to_voice: '', open_ai_api_key: KEY, ...raw }, [coreConfigSection, openaiConfigSection], 'test config');
  const items = await checkOpenAILive(config, { signal: AbortSignal.timeout(10_000), logger: memoryLogger().logger });
  const text = items.map((i) => i.message).join('\n');
  for (const part of [KEY, 'wrong-key-abcdefghijklmnop', KEY.slice(-6)]) expect(text).not.toContain(part);
  return items;
}

describe('check --live for OpenAI', () => {
  it('lists the models with the key and confirms the configured one', async () => {
    const api = await fake();
    const items = await live({ open_ai_api_base: api.baseURL, model: 'gpt-4o-mini' });
    expect(items).toEqual([
      { level: 'ok', message: expect.stringMatching(/accepted the key and lists 5 models/) },
      { level: 'ok', message: expect.stringMatching(/model "gpt-4o-mini" is available/) },
    ]);
    // A read only: no completion was asked for.
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
  });

  it('only warns when the model is not listed, or nothing is', async () => {
    const api = await fake();
    const missing = await live({ open_ai_api_base: api.baseURL, model: 'deepseek-chat', voice_to_text: 'openai' });
    expect(missing.map((i) => i.level)).toEqual(['ok', 'warn', 'ok']);
    expect(missing[1]!.message).toMatch(/model "deepseek-chat" is not among the models .* lists \(gpt-4o-mini, /);
    expect(missing[2]!.message).toMatch(/voice_to_text_model "whisper-1" is available/);
    const empty = await fake({ models: [] });
    const none = await live({ open_ai_api_base: empty.baseURL, model: 'qwen-plus' });
    expect(none[1]).toEqual({ level: 'warn', message: expect.stringMatching(/model "qwen-plus" could not be confirmed: .* lists no models/) });
  });

  it('names the key on 401, the missing /v1 on 404, and an unreachable base', async () => {
    const api = await fake();
    expect(await live({ open_ai_api_base: api.baseURL, open_ai_api_key: 'wrong-key-abcdefghijklmnop' })).toEqual([
      { level: 'error', message: expect.stringMatching(/rejected open_ai_api_key \(401 \[invalid_api_key\]\)/) },
    ]);
    const noV1 = api.baseURL.replace(/\/v1$/, '');
    expect(await live({ open_ai_api_base: noV1 })).toEqual([{ level: 'error', message: expect.stringMatching(new RegExp(`answered 404: open_ai_api_base probably lacks /v1 \\(try ${noV1}/v1\\)`)) }]);
    const gone = await startFakeOpenAI();
    await gone.close();
    expect(await live({ open_ai_api_base: gone.baseURL })).toEqual([{ level: 'error', message: expect.stringMatching(/refused the connection.*check open_ai_api_base/) }]);
  });

  it('checks nothing when OpenAI is not used', async () => {
    expect(await live({ bot_type: 'echo', open_ai_api_base: 'http://127.0.0.1:9/v1' })).toEqual([]);
  });
});
