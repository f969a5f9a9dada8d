/**
 * Helpers for tests of wecom-bot packages and of user plugins: an app assembled from
 * integrations, a channel that records what it was asked to send. Import from
 * "@wecom-bot/core/testing". No vitest here (`wecom-bot dev` loads this at run time): the
 * store conformance suites are "@wecom-bot/core/testing/conformance".
 */
import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import { Writable } from 'node:stream';
import { assembleApp, type AssembledApp } from '../assemble.js';
import { coreIntegration } from '../builtin/core-integration.js';
import { coreConfigSection } from '../config/core-section.js';
import { validateConfig } from '../config/load.js';
import type { AppConfig } from '../config/section.js';
import type { Bot, Channel, MessageHandler, PushTarget, VoiceEngine } from '../contracts.js';
import type { Context } from '../context.js';
import { defineIntegration, integrationSections, type BotOffer, type Integration } from '../integration.js';
import { createLogger, type Logger } from '../logger.js';
import type { Reply } from '../reply.js';
import { SecretRegistry } from '../secrets.js';
import type { Stores } from '../store/contracts.js';

import { countWaiter } from './count-waiter.js';

export { countWaiter } from './count-waiter.js';
export { parsePrometheusText, promValue, type PromSample } from './prometheus.js';

/** A logger that keeps its lines in memory (scrubbed like the real one) for assertions. */
export function memoryLogger(secrets = new SecretRegistry(), level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ secrets, destination: sink, pretty: false, level }), lines };
}

/** Records every reply the pipeline hands it; `waitFor(n)` resolves once n have arrived. */
export class RecordingChannel implements Channel {
  readonly name = 'recording';
  readonly sent: Array<{ reply: Reply; context: Context }> = [];
  private readonly arrivals = countWaiter(this.sent, 'replies');

  async start(_handler: MessageHandler): Promise<void> {}
  async stop(): Promise<void> {}

  async send(reply: Reply, context: Context): Promise<void> {
    this.sent.push({ reply, context });
    this.arrivals.notify();
  }

  /** Proactive messages (PluginHost.push) land here, apart from replies. */
  readonly pushed: Array<{ target: PushTarget; reply: Reply }> = [];

  async push(target: PushTarget, reply: Reply): Promise<void> {
    this.pushed.push({ target, reply });
  }

  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    return this.arrivals.waitFor(count, timeoutMs);
  }
}

export interface TestApp extends AssembledApp {
  config: AppConfig;
  logger: Logger;
  logLines: string[];
  secrets: SecretRegistry;
  /** The channel when it is the recording one (channel_type "recording", the default). */
  recorder: RecordingChannel;
  /** Makes `bot` answer: offered under its name, and chosen as bot_type. */
  useBot(bot: Bot): void;
  /** Offers a voice engine under its name (choose it with voice_to_text / text_to_voice). */
  useVoiceEngine(engine: VoiceEngine): void;
}

/**
 * An app assembled as the CLI assembles it, from core, `integrations` and a test
 * integration that offers channel_type "recording" (the default; or `channel` under its own
 * name) and the bots given with `useBot`. The config is validated against every section.
 */
export function createTestApp(raw: AppConfig = {}, options: { integrations?: Integration[]; channel?: Channel; configPath?: string; stores?: Stores } = {}): TestApp {
  const recorder = new RecordingChannel();
  const channel = options.channel ?? recorder;
  const bots: Record<string, BotOffer> = {};
  const voiceEngines: Record<string, () => VoiceEngine> = {};
  const testing = defineIntegration({ name: 'test', channels: { [channel.name]: { create: () => channel } }, bots, voiceEngines });
  const integrations = [coreIntegration, ...(options.integrations ?? []), testing];
  const { config, secretValues } = validateConfig({ bot_type: 'echo', channel_type: channel.name, ...raw }, integrationSections(integrations), 'test config');
  const secrets = new SecretRegistry();
  secretValues.forEach((v) => secrets.add(v));
  // Tests see everything down to debug unless they ask for less (benchmarks do).
  const { logger, lines } = memoryLogger(secrets, raw.log_level === undefined ? 'debug' : coreConfigSection.read(config).log_level);
  const app = assembleApp(rootContainer.createChildContainer(), { config, secrets, logger, integrations, configPath: options.configPath, stores: options.stores });
  return {
    ...app,
    config,
    logger,
    logLines: lines,
    secrets,
    recorder,
    useBot(bot) {
      bots[bot.name] = { create: () => bot };
      config.bot_type = bot.name;
    },
    useVoiceEngine(engine) {
      voiceEngines[engine.name] = () => engine;
    },
  };
}
