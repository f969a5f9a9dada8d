import { TOKENS } from '@wecom-bot/core';
import type { DependencyContainer } from 'tsyringe';
import { OpenAIClientProvider } from './client.js';
import { OpenAIBot } from './openai-bot.js';
import { OpenAIVoiceEngine } from './voice-engine.js';

/**
 * Offers bot "openai" and voice engine "openai" to the Bridge. Nothing is built until the
 * Bridge asks, and the HTTP client not until the first request, so a deployment that
 * never uses OpenAI needs no key. Bot and voice engine share one client.
 */
export function registerOpenAIBot(container: DependencyContainer): void {
  const bridge = container.resolve(TOKENS.Bridge);
  let clients: OpenAIClientProvider | undefined;
  const shared = () => {
    const config = container.resolve(TOKENS.Config);
    // Masks the key in every log line, also when it came from an environment variable.
    container.resolve(TOKENS.Secrets).add(config.open_ai_api_key);
    clients ??= new OpenAIClientProvider(config);
    return { config, clients, logger: container.resolve(TOKENS.Logger).child({ component: 'openai' }) };
  };
  bridge.registerBot('openai', () => new OpenAIBot({ ...shared(), sessions: container.resolve(TOKENS.SessionStore) }));
  bridge.registerVoiceEngine('openai', () => new OpenAIVoiceEngine(shared()));
}
