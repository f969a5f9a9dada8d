export { openaiConfigSection, openaiConfigProblems, isOfficialBase, OFFICIAL_API_BASE, type OpenAIConfig, type OpenAIBotConfig, readOpenAIConfig } from './config.js';
export { openaiIntegration } from './integration.js';
export { checkOpenAI } from './check.js';
export { OpenAIBot, type OpenAIBotDeps } from './openai-bot.js';
export { OpenAIVoiceEngine, type OpenAIVoiceEngineDeps } from './voice-engine.js';
export { OpenAIClientProvider } from './client.js';
export { OpenAIRequestError, describeOpenAIError, USER_MESSAGES, type DescribedError } from './errors.js';
export { encodingForModel } from './session/tokenizer.js';
