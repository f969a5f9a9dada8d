import { defineIntegration, type IntegrationServices } from '@wecom-bot/core';
import { checkOpenAI } from './check.js';
import { checkOpenAILive } from './check-live.js';
import { OpenAIClientProvider } from './client.js';
import { openaiConfigSection, readOpenAIConfig } from './config.js';
import { OpenAIBot } from './openai-bot.js';
import { OpenAIVoiceEngine } from './voice-engine.js';

/** One client per app, shared by the bot and the voice engine (both are built on first use). */
const clients = new WeakMap<IntegrationServices['config'], OpenAIClientProvider>();

function shared(services: IntegrationServices) {
  const config = readOpenAIConfig(services.config);
  // Masks the key in every log line, also when it came from an environment variable.
  services.secrets.add(config.open_ai_api_key);
  let provider = clients.get(services.config);
  if (!provider) clients.set(services.config, (provider = new OpenAIClientProvider(config)));
  return { config, clients: provider, logger: services.logger };
}

/**
 * Bot "openai" and voice engine "openai". Nothing is built until the config chooses them,
 * and the HTTP client not until the first request, so a deployment that never uses OpenAI
 * needs no key.
 */
export const openaiIntegration = defineIntegration({
  name: 'openai',
  config: [openaiConfigSection],
  bots: { openai: { create: (services) => new OpenAIBot({ ...shared(services), sessions: services.sessions }) } },
  voiceEngines: { openai: (services) => new OpenAIVoiceEngine(shared(services)) },
  // Voice may use OpenAI with another bot, so these lines are not tied to bot_type.
  check: (config) => checkOpenAI(config),
  checkLive: checkOpenAILive,
});
