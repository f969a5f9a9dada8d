import { coreConfigSection, type CoreConfig } from './config/core-section.js';
import type { AppConfig } from './config/section.js';
import type { Bot, Bots, VoiceEngine } from './contracts.js';
import type { Context } from './context.js';
import { offerNames, type Integration, type IntegrationServices } from './integration.js';
import type { Reply } from './reply.js';

/**
 * Picks the bot named by `bot_type` and the voice engines named by `voice_to_text` /
 * `text_to_voice` from what the integrations offer, creating each once, on first use: an
 * unused bot needs no API key. Names are read at use time, so `#reload` takes effect.
 */
export class Bridge implements Bots {
  private readonly config: CoreConfig;
  private readonly bots = new Map<string, Bot>();
  private readonly voices = new Map<string, VoiceEngine>();

  constructor(
    config: AppConfig,
    private readonly integrations: readonly Integration[],
    /** What the offering integration's contributions are built from. */
    private readonly servicesFor: (owner: Integration) => IntegrationServices,
  ) {
    this.config = coreConfigSection.read(config);
  }

  get bot(): Bot {
    const name = this.config.bot_type;
    let bot = this.bots.get(name);
    if (!bot) {
      const owner = this.integrations.find((i) => i.bots?.[name]);
      const offer = owner?.bots?.[name];
      if (!owner || !offer) throw new Error(`Unknown bot_type "${name}". Known: ${offerNames(this.integrations, 'bots').join(', ')}.`);
      this.bots.set(name, (bot = offer.create(this.servicesFor(owner))));
    }
    return bot;
  }

  get speechToText(): VoiceEngine | undefined {
    return this.voiceEngine(this.config.voice_to_text);
  }

  get textToSpeech(): VoiceEngine | undefined {
    return this.voiceEngine(this.config.text_to_voice);
  }

  /** The bot's answer; streamed through `onText` when given and the bot can stream. */
  fetchReply(context: Context, onText?: (soFar: string) => void): Promise<Reply> {
    const bot = this.bot;
    return onText && bot.streamReply ? bot.streamReply(context, onText) : bot.reply(context);
  }

  /** A name nothing offers (or "") means voice is off that way. */
  private voiceEngine(name: string): VoiceEngine | undefined {
    let engine = this.voices.get(name);
    if (!engine) {
      const owner = name === '' ? undefined : this.integrations.find((i) => i.voiceEngines?.[name]);
      const create = owner?.voiceEngines?.[name];
      if (!owner || !create) return undefined;
      this.voices.set(name, (engine = create(this.servicesFor(owner))));
    }
    return engine;
  }
}
