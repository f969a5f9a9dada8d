import { coreConfigSection, defineConfigSection, readSections, type AppConfig, type CoreConfig, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { COW_PROVIDER_KEYS, mapCowProviderKeys } from './cow-providers.js';
import { DEFAULT_VISION_MODELS } from './vision.js';

export const OFFICIAL_API_BASE = 'https://api.openai.com/v1';

const httpUrl = (what: string) =>
  z.string().refine((v) => v === '' || /^https?:\/\/[^\s/]+/i.test(v), { message: `${what} must be an http:// or https:// URL` });

/**
 * OpenAI keys, named as in chatgpt-on-wechat. `model`, `character_desc`,
 * `conversation_max_tokens`, `expires_in_seconds`, `bot_type`, `voice_to_text` and
 * `text_to_voice` are core keys: read from the live config object, never redefined here.
 */
export const openaiConfigSection = defineConfigSection({
  title: 'OpenAI bot',
  shape: {
    open_ai_api_key: z.string().default('').describe('API key (sk-…) of OpenAI or of the compatible service at open_ai_api_base.'),
    open_ai_api_base: httpUrl('open_ai_api_base')
      .default(OFFICIAL_API_BASE)
      .describe('Base URL of an OpenAI-compatible API, ending in /v1 (DeepSeek, DashScope compatible mode, Ollama, vLLM…).'),
    proxy: httpUrl('proxy').default('').describe('HTTP(S) proxy for every OpenAI request, e.g. http://127.0.0.1:7890 ("" = none).'),
    temperature: z.number().min(0).max(2).default(0.9).describe('Sampling temperature, 0 to 2.'),
    top_p: z.number().min(0).max(1).default(1).describe('Nucleus sampling, 0 to 1.'),
    request_timeout: z.number().positive().default(35).describe('Seconds one request to the API may take, whole answer included; a retry gets as long again.'),
    max_retries: z.number().int().min(0).max(10).default(2).describe('Retries after a 429, a 5xx, a timeout or a lost connection, with growing pauses.'),
    open_ai_stream: z.boolean().default(false).describe('Ask for streamed chat answers (assembled before sending); needed by models that only stream, such as QwQ on DashScope.'),
    rate_limit_chatgpt: z.number().int().min(0).default(20).describe('Chat requests per minute for each member (0 = no limit); chatgpt-on-wechat counts them for the whole bot.'),
    rate_limit_dalle: z.number().int().min(0).default(50).describe('Image generations per minute for each member (0 = no limit); chatgpt-on-wechat counts them for the whole bot.'),
    text_to_image: z.string().min(1).default('dall-e-3').describe('Image model: dall-e-3, dall-e-2 or gpt-image-1.'),
    image_create_size: z.string().regex(/^\d+x\d+$|^auto$/, 'image_create_size must look like 1024x1024').default('1024x1024').describe('Size of generated images, e.g. 1024x1024.'),
    voice_to_text_model: z.string().min(1).default('whisper-1').describe('Speech-to-text model (whisper-1, gpt-4o-mini-transcribe…).'),
    text_to_voice_model: z.string().min(1).default('tts-1').describe('Text-to-speech model (tts-1, tts-1-hd, gpt-4o-mini-tts).'),
    tts_voice_id: z.string().min(1).default('alloy').describe('Voice of text to speech: alloy, echo, fable, onyx, nova, shimmer…'),
    vision_models: z
      .array(z.string())
      .default([...DEFAULT_VISION_MODELS])
      .describe('Models that can see images, by name prefix ("openai/" and the like ignored); "*" = every model, [] = none. An image goes to them with the question that follows it.'),
    image_question_window_seconds: z
      .number()
      .int()
      .positive()
      .default(180)
      .describe("How long an image waits for the same member's question; the question is then answered with the image (chatgpt-on-wechat: 3 minutes)."),
    image_received_reply: z
      .string()
      .min(1)
      .default('收到图片。请在{window}内发来你想问的问题，我会结合图片回答。')
      .describe('Answer to an image the model can see; {window} becomes image_question_window_seconds in words ("3 分钟").'),
    unsupported_media_reply: z
      .string()
      .min(1)
      .default('这类消息我暂时处理不了，请把想问的内容用文字发给我。')
      .describe('Answer to a file, a video, voice that was not transcribed, or an image the model cannot see.'),
  },
  secrets: ['open_ai_api_key'],
  // chatgpt-on-wechat 2.x templates fill deepseek_api_key and the like instead.
  foreignKeys: { names: COW_PROVIDER_KEYS, map: mapCowProviderKeys },
  check: (config) => openaiConfigProblems(config),
});

export type OpenAIConfig = SectionConfig<typeof openaiConfigSection>;

/** What the bot and voice engine read: the core keys (model, character_desc…) and the OpenAI ones. */
export type OpenAIBotConfig = CoreConfig & OpenAIConfig;

/** The typed, live view of both sections within a validated config. */
export function readOpenAIConfig(config: AppConfig): OpenAIBotConfig {
  return readSections(config, coreConfigSection, openaiConfigSection);
}

/** True when the base URL is OpenAI's own API (which always needs a key). */
export function isOfficialBase(base: string): boolean {
  return /^https:\/\/api\.openai\.com(\/|$)/i.test(base);
}

/**
 * The key rule, kept simple: when `bot_type` is openai and the base is api.openai.com, a key
 * is required. Other bases may run without one (Ollama and vLLM take none); voice alone does
 * not require it, because echo deployments keep the core default voice engine "openai" —
 * `wecom-bot check` warns instead.
 */
export function openaiConfigProblems(config: { bot_type?: unknown; open_ai_api_key: string; open_ai_api_base: string }): string[] {
  if (config.bot_type === 'openai' && config.open_ai_api_key.trim() === '' && isOfficialBase(config.open_ai_api_base)) {
    return ['open_ai_api_key is required when bot_type is "openai" with the official API: set it in config.json or the OPEN_AI_API_KEY environment variable (or point open_ai_api_base at a server that needs no key).'];
  }
  return [];
}
