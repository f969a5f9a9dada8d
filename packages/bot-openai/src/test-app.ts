import { createContext, type AppConfig, type Context, type ContextType } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import { openaiConfigSection } from './config.js';
import { registerOpenAIBot } from './register.js';
import { startFakeOpenAI, type FakeOpenAI } from './testing/fake-openai.js';

export const TEST_KEY = 'sk-test-0123456789abcdefSECRET';

/**
 * A core test app with the OpenAI bot registered and pointed at a fresh fake server, as the
 * CLI wires it. For this package's tests; other packages use `startFakeOpenAI` directly.
 */
export async function openaiTestApp(raw: AppConfig = {}): Promise<ReturnType<typeof createTestApp> & { fake: FakeOpenAI }> {
  const fake = await startFakeOpenAI();
  const app = createTestApp(
    { bot_type: 'openai', open_ai_api_key: TEST_KEY, open_ai_api_base: fake.baseURL, character_desc: 'You are a test bot.', ...raw },
    { sections: [openaiConfigSection] },
  );
  registerOpenAIBot(app.container);
  return { ...app, fake };
}

export function message(content: string, sessionId = 'recording:u1', type: ContextType = 'TEXT'): Context {
  return createContext({ type, content, channel: 'recording', sessionId, senderId: 'u1' });
}
