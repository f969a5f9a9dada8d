import { createContext, type AppConfig, type Context, type ContextType } from '@wecom-bot/core';
import { createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { openaiIntegration } from '../integration.js';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';

export const TEST_KEY = 'sk-test-0123456789abcdefSECRET';

/**
 * A core test app with the OpenAI integration and pointed at a fresh fake server, as the
 * CLI wires it. For this package's tests; other packages use `startFakeOpenAI` directly.
 */
export async function openaiTestApp(raw: AppConfig = {}): Promise<TestApp & { fake: FakeOpenAI }> {
  const fake = await startFakeOpenAI();
  const app = createTestApp(
    { bot_type: 'openai', open_ai_api_key: TEST_KEY, open_ai_api_base: fake.baseURL, character_desc: 'You are a test bot.', ...raw },
    { integrations: [openaiIntegration] },
  );
  return { ...app, fake };
}

export function message(content: string, sessionId = 'recording:u1', type: ContextType = 'TEXT'): Context {
  return createContext({ type, content, channel: 'recording', sessionId, senderId: 'u1' });
}
