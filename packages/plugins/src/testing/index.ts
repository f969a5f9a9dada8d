/** Test helpers shared by the plugin tests (a test app with the plugins loaded as the CLI loads them) and real audio made and measured by ffmpeg. */
import { createContext, type AppConfig, type Context, type ContextInit, type Stores } from '@wecom-bot/core';
import { coreIntegration, integrationSections, validateConfig } from '@wecom-bot/core/runtime';
import { createTestApp, RecordingChannel, type TestApp } from '@wecom-bot/core/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuiltinOptions } from '../builtins.js';
import { createPluginsIntegration, pluginsIntegration } from '../integration.js';

export { decodeToPcm, makeTone, rms } from './audio.js';

/** A recording channel that, like WeCom, takes voice as AMR of ≤ 60 s and ≤ 2 MB. */
export class AmrRecordingChannel extends RecordingChannel {
  readonly voiceOutput = { format: 'amr', maxSeconds: 60, maxBytes: 2 * 1024 * 1024 };
  readonly canMention = true;
}

export interface PluginTestAppOptions extends BuiltinOptions {
  channel?: RecordingChannel;
  /** Where config.json would be: relative paths in `plugins` resolve from its folder (default: the working directory). */
  configPath?: string;
  /** The app's stores (default: fresh memory ones); pass the same ones again to play a restart. */
  stores?: Stores;
}

/**
 * A core test app (echo bot) with the plugins integration, its plugins loaded as at start-up:
 * every built-in, then the user plugins named in `plugins`. data_dir is a fresh temp dir.
 */
export async function pluginTestApp(raw: AppConfig = {}, options: PluginTestAppOptions = {}): Promise<TestApp & { recorder: RecordingChannel; dataDir: string }> {
  const channel = options.channel ?? new RecordingChannel();
  const dataDir = mkdtempSync(join(tmpdir(), 'wecom-bot-plugins-test-'));
  const integration = options.voice ? createPluginsIntegration(options) : pluginsIntegration;
  const app = createTestApp({ data_dir: dataDir, ...raw }, { integrations: [integration], channel, configPath: options.configPath, stores: options.stores });
  await app.loadPlugins();
  return { ...app, recorder: channel, dataDir };
}

/** `raw` validated against core's and the plugins' sections, without an app (for `checkPlugins` and the loader's own tests). */
export function validatedConfig(raw: AppConfig = {}): AppConfig {
  return validateConfig(raw, integrationSections([coreIntegration, pluginsIntegration]), 'test config').config;
}

export function textMessage(content: string, init: Partial<ContextInit> = {}): Context {
  return createContext({ type: 'TEXT', content, channel: 'recording', senderId: 'alice', ...init });
}

export function groupMessage(content: string, init: Partial<ContextInit> = {}): Context {
  return textMessage(content, { isGroup: true, groupId: 'g1', groupName: 'Team', receiver: 'g1', senderName: 'Alice', ...init });
}

/** The text of every reply sent so far. */
export function sentTexts(recorder: RecordingChannel): string[] {
  return recorder.sent.map((s) => (typeof s.reply.content === 'string' ? s.reply.content : `[${s.reply.type}]`));
}
