import type { Bot, VoiceEngine } from './contracts.js';
import type { Context } from './context.js';
import type { Reply } from './reply.js';
import type { AppConfig } from './config/section.js';

export type BotFactory = () => Bot;
export type VoiceEngineFactory = () => VoiceEngine;

/**
 * Picks the bot named by `bot_type` and the voice engines named by `voice_to_text` /
 * `text_to_voice`, creating each once. Packages register factories; nothing is built
 * until it is used, so an unused bot needs no API key.
 */
export class Bridge {
  private readonly botFactories = new Map<string, BotFactory>();
  private readonly voiceFactories = new Map<string, VoiceEngineFactory>();
  private readonly bots = new Map<string, Bot>();
  private readonly voices = new Map<string, VoiceEngine>();

  constructor(private readonly config: AppConfig) {}

  registerBot(name: string, factory: BotFactory): void {
    this.botFactories.set(name, factory);
  }

  registerVoiceEngine(name: string, factory: VoiceEngineFactory): void {
    this.voiceFactories.set(name, factory);
  }

  get botNames(): string[] {
    return [...this.botFactories.keys()];
  }

  get voiceEngineNames(): string[] {
    return [...this.voiceFactories.keys()];
  }

  get bot(): Bot {
    return this.create(String(this.config.bot_type), this.botFactories, this.bots, 'bot_type');
  }

  /** The engine for speech to text, or undefined when none is configured. */
  get speechToText(): VoiceEngine | undefined {
    return this.voiceEngine(this.config.voice_to_text);
  }

  get textToSpeech(): VoiceEngine | undefined {
    return this.voiceEngine(this.config.text_to_voice);
  }

  fetchReply(context: Context): Promise<Reply> {
    return this.bot.reply(context);
  }

  private voiceEngine(name: unknown): VoiceEngine | undefined {
    if (typeof name !== 'string' || name === '' || !this.voiceFactories.has(name)) return undefined;
    return this.create(name, this.voiceFactories, this.voices, 'voice engine');
  }

  private create<T>(name: string, factories: Map<string, () => T>, cache: Map<string, T>, what: string): T {
    const cached = cache.get(name);
    if (cached) return cached;
    const factory = factories.get(name);
    if (!factory) throw new Error(`Unknown ${what} "${name}". Known: ${[...factories.keys()].join(', ') || 'none'}.`);
    const instance = factory();
    cache.set(name, instance);
    return instance;
  }
}
