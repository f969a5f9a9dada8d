import type { Audio, Logger, VoiceEngine } from '@wecom-bot/core';
import type { OpenAIConfig } from './config.js';
import type { OpenAIClientProvider } from './client.js';
import { describeOpenAIError, OpenAIRequestError } from './errors.js';
import { configuredRetries, withRetries } from './retry.js';
import { loadSdk } from './sdk.js';

/** Formats the transcription endpoint takes (OpenAI's list), best first; WeCom's AMR is not one. */
const INPUT_FORMATS = ['mp3', 'wav', 'm4a', 'ogg', 'webm', 'flac', 'mp4', 'mpeg', 'mpga'] as const;

const MIME: Record<string, string> = {
  mp3: 'audio/mpeg', mpeg: 'audio/mpeg', mpga: 'audio/mpeg', wav: 'audio/wav', m4a: 'audio/mp4', mp4: 'audio/mp4',
  ogg: 'audio/ogg', webm: 'audio/webm', flac: 'audio/flac',
};

/** The speech endpoint reads at most this many characters. */
const MAX_SPEECH_CHARS = 4096;

export interface OpenAIVoiceEngineDeps {
  /** The live OpenAI section: models and voice are read on every call. */
  config: OpenAIConfig;
  clients: OpenAIClientProvider;
  logger: Logger;
  retryBaseDelayMs?: number;
}

/**
 * Speech to text with `voice_to_text_model` (whisper-1) and text to speech with
 * `text_to_voice_model` and `tts_voice_id`, as MP3. Failures throw OpenAIRequestError, whose
 * `userMessage` is fit to show and whose message says why.
 */
export class OpenAIVoiceEngine implements VoiceEngine {
  readonly name = 'openai';
  readonly inputFormats: readonly string[] = INPUT_FORMATS;

  constructor(private readonly deps: OpenAIVoiceEngineDeps) {}

  async speechToText(audio: Audio): Promise<string> {
    const format = audio.format.toLowerCase();
    if (!(INPUT_FORMATS as readonly string[]).includes(format)) {
      throw new Error(`OpenAI speech to text cannot read "${audio.format}" audio; convert it to one of ${INPUT_FORMATS.join(', ')} first`);
    }
    const model = this.deps.config.voice_to_text_model;
    // The API tells the format by the file name's extension, so the name must match the bytes.
    const result = await this.call(model, async (signal) => {
      const file = await (await loadSdk()).toFile(audio.data, `voice.${format}`, { type: MIME[format] });
      return (await this.deps.clients.get()).audio.transcriptions.create({ model, file }, { signal });
    });
    return result.text.trim();
  }

  async textToSpeech(text: string): Promise<Audio> {
    const { config, logger } = this.deps;
    const model = config.text_to_voice_model;
    if (text.length > MAX_SPEECH_CHARS) logger.warn({ chars: text.length }, `text to speech reads only the first ${MAX_SPEECH_CHARS} characters`);
    const input = text.slice(0, MAX_SPEECH_CHARS);
    const data = await this.call(model, async (signal) => {
      const response = await (await this.deps.clients.get()).audio.speech.create({ model, voice: config.tts_voice_id, input, response_format: 'mp3' }, { signal });
      return Buffer.from(await response.arrayBuffer());
    });
    return { data, format: 'mp3' };
  }

  private async call<T>(model: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { config, logger } = this.deps;
    const where = { baseURL: this.deps.clients.baseURL, model };
    try {
      return await withRetries(attempt, {
        ...configuredRetries(config, this.deps.retryBaseDelayMs),
        onRetry: (error, n, delayMs) => logger.warn({ attempt: n, delayMs, reason: describeOpenAIError(error, where).log }, 'voice request failed; retrying'),
      });
    } catch (error) {
      throw new OpenAIRequestError(describeOpenAIError(error, where), { cause: error });
    }
  }
}
