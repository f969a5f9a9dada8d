/**
 * Helpers for tests of wecom-bot packages and of user plugins: a core container with a
 * config, a channel that records what it was asked to send, and the session-store
 * conformance suite. Import from "@wecom-bot/core/testing".
 */
import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { Writable } from 'node:stream';
import type { Channel, MessageHandler } from '../contracts.js';
import type { Context } from '../context.js';
import type { Reply } from '../reply.js';
import { coreConfigSection } from '../config/core-section.js';
import { validateConfig } from '../config/load.js';
import type { AnyConfigSection, AppConfig } from '../config/section.js';
import { createLogger, type Logger } from '../logger.js';
import { registerCore, resolveChannel, registerChannel } from '../register.js';
import { SecretRegistry } from '../secrets.js';
import { TOKENS } from '../tokens.js';
import type { ChatPipeline } from '../pipeline.js';
import type { PluginManager } from '../plugin-manager.js';
import type { Bridge } from '../bridge.js';

import { countWaiter } from './count-waiter.js';

export { runSessionStoreConformance } from './session-store-conformance.js';
export { countWaiter } from './count-waiter.js';

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

  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    return this.arrivals.waitFor(count, timeoutMs);
  }
}

export interface TestApp {
  container: DependencyContainer;
  config: AppConfig;
  logger: Logger;
  logLines: string[];
  secrets: SecretRegistry;
  channel: Channel;
  pipeline: ChatPipeline;
  plugins: PluginManager;
  bridge: Bridge;
}

/**
 * A child container with the core registered from `raw` config (validated against the core
 * section plus `sections`). The channel is a RecordingChannel unless `channel` is given.
 */
export function createTestApp(
  raw: AppConfig = {},
  options: { sections?: AnyConfigSection[]; channel?: Channel } = {},
): TestApp & { recorder: RecordingChannel } {
  const sections = [coreConfigSection, ...(options.sections ?? [])];
  const { config, secretValues } = validateConfig({ bot_type: 'echo', channel_type: 'recording', ...raw }, sections, 'test config');
  const secrets = new SecretRegistry();
  secretValues.forEach((v) => secrets.add(v));
  // Tests see everything down to debug unless they ask for less (benchmarks do).
  const { logger, lines } = memoryLogger(secrets, raw.log_level === undefined ? 'debug' : String(config.log_level));
  const container = rootContainer.createChildContainer();
  registerCore(container, { config, secrets, logger });
  const recorder = new RecordingChannel();
  const channel = options.channel ?? recorder;
  registerChannel(container, String(config.channel_type), () => channel);
  if (config.channel_type === 'recording' || options.channel) resolveChannel(container);
  return {
    container,
    config,
    logger,
    logLines: lines,
    secrets,
    channel,
    recorder,
    pipeline: container.resolve(TOKENS.Pipeline),
    plugins: container.resolve(TOKENS.PluginManager),
    bridge: container.resolve(TOKENS.Bridge),
  };
}
